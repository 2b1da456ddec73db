/**
 * Lexical helpers over raw SPL text: comment removal, top-level pipe splitting, quoted-string
 * scanning and the search-language unescape rule.
 *
 * Owns: the notion of "top level" (outside double quotes, subsearch brackets and macro
 * backticks) shared by the macro expander and the stage splitter.
 *
 * Invariants:
 * - Positions are UTF-16 offsets into the text given; spans are half-open [start, end).
 * - Inside double quotes `\"` and `\\` never end the string; `\|` is an escaped pipe anywhere.
 * - Single quotes are ordinary characters here (they only quote field names inside eval/where,
 *   which never contain top-level pipes in practice).
 * - Escape rule: `\\` → `\`, `\"` → `"`, `\|` → `|`; every other backslash sequence
 *   is kept as two characters, and `*` cannot be escaped.
 *
 * Must never import: React, Next, Node built-ins.
 */

/** Replace ```comments``` with a single space (so neighbouring tokens stay apart). */
export function stripComments(text: string): string {
  let out = ""
  let i = 0
  let inQuote = false
  while (i < text.length) {
    const ch = text[i]
    if (ch === "\\") {
      out += text.slice(i, i + 2)
      i += 2
      continue
    }
    if (ch === '"') inQuote = !inQuote
    if (!inQuote && text.startsWith("```", i)) {
      const end = text.indexOf("```", i + 3)
      i = end < 0 ? text.length : end + 3
      out += " "
      continue
    }
    out += ch
    i++
  }
  return out
}

/** Index just past the closing quote of the string opening at `start` (or text end). */
export function skipQuoted(text: string, start: number): number {
  let i = start + 1
  while (i < text.length) {
    const ch = text[i]
    if (ch === "\\") i += 2
    else if (ch === '"') return i + 1
    else i++
  }
  return text.length
}

/** Index just past the `]` closing the bracket at `start`, honouring quotes and nesting. */
export function skipBracket(text: string, start: number): number {
  let depth = 0
  let i = start
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"') {
      i = skipQuoted(text, i)
      continue
    }
    if (ch === "\\") i++
    else if (ch === "[") depth++
    else if (ch === "]" && --depth === 0) return i + 1
    i++
  }
  return text.length
}

export type Segment = { text: string; start: number; end: number }

/** Split at top-level `|` (not quoted, not in `[...]`, not escaped). Empty segments are kept. */
export function splitPipes(text: string): Segment[] {
  const out: Segment[] = []
  let segStart = 0
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"') i = skipQuoted(text, i)
    else if (ch === "[") i = skipBracket(text, i)
    else if (ch === "\\") i += 2
    else if (ch === "|") {
      out.push({ text: text.slice(segStart, i), start: segStart, end: i })
      segStart = ++i
    } else i++
  }
  out.push({ text: text.slice(segStart), start: segStart, end: text.length })
  return out
}

/** Search-language unescape: `\\`, `\"`, `\|` collapse; other backslashes stay literal. */
export function unescapeSpl(s: string): string {
  if (!s.includes("\\")) return s
  let out = ""
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string
    const next = s[i + 1]
    if (ch === "\\" && (next === "\\" || next === '"' || next === "|")) {
      out += next
      i++
    } else out += ch
  }
  return out
}

/** The body of a double-quoted token (without quotes), unescaped. */
export function unquote(token: string): string {
  const inner = token.startsWith('"') ? token.slice(1, token.endsWith('"') && token.length > 1 ? -1 : undefined) : token
  return unescapeSpl(inner)
}

/** An unbalanced quote, parenthesis or bracket, at its offset in the text checked. */
export type BalanceProblem = {
  code: "unbalanced-quote" | "unbalanced-paren" | "unbalanced-bracket"
  offset: number
  message: string
}

/**
 * Unclosed double quotes, parentheses and subsearch brackets outside quoted strings (comments
 * already stripped). Splunk refuses such a search, and the parsers would otherwise guess silently.
 */
export function balanceProblems(text: string): BalanceProblem[] {
  const out: BalanceProblem[] = []
  const open: Array<{ ch: string; at: number }> = []
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === "\\") i++
    else if (ch === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1
      if (j >= text.length) {
        out.push({ code: "unbalanced-quote", offset: i, message: `the double quote at offset ${i} is never closed` })
        return out
      }
      i = j
    } else if (ch === "(" || ch === "[") open.push({ ch, at: i })
    else if (ch === ")" || ch === "]") {
      const want = ch === ")" ? "(" : "["
      const top = open[open.length - 1]
      if (top?.ch === want) open.pop()
      else {
        out.push(mismatch(ch, i, `a closing ${ch} at offset ${i} has no opening ${want}`))
        return out
      }
    }
  }
  for (const o of open) out.push(mismatch(o.ch, o.at, `the ${o.ch} at offset ${o.at} is never closed`))
  return out
}

function mismatch(ch: string, offset: number, message: string): BalanceProblem {
  return { code: ch === "(" || ch === ")" ? "unbalanced-paren" : "unbalanced-bracket", offset, message }
}
