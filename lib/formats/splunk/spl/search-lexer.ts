/**
 * Cursor-style scanner for the search language (implicit first stage, `| search`, tstats WHERE).
 *
 * Owns: reading one token at a time in the mode the parser asks for: field names, values
 * (lenient with balanced parentheses, `=` and quotes), IN-list items, quoted strings,
 * subsearch brackets and leftover macro calls.
 *
 * Invariants: never throws and always makes progress; offsets are relative to the scanned text
 * plus `base`, so callers can map a token back into the expanded search.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { skipBracket, skipQuoted, unescapeSpl, unquote } from "./text.ts"

export type Scanner = {
  text: string
  pos: number
  base: number
}

export function scanner(text: string, base = 0): Scanner {
  return { text, pos: 0, base }
}

export function skipWs(s: Scanner): void {
  while (s.pos < s.text.length && /\s/.test(s.text[s.pos] as string)) s.pos++
}

export function atEnd(s: Scanner): boolean {
  skipWs(s)
  return s.pos >= s.text.length
}

export function peekChar(s: Scanner): string {
  skipWs(s)
  return s.text[s.pos] ?? ""
}

/** An upper-case keyword (AND, OR, NOT, IN) followed by a boundary, without consuming it. */
export function peekKeyword(s: Scanner, kw: string): boolean {
  skipWs(s)
  if (!s.text.startsWith(kw, s.pos)) return false
  const after = s.text[s.pos + kw.length]
  return after === undefined || /[\s()"]/.test(after)
}

export function readQuoted(s: Scanner): { value: string; raw: string } {
  const start = s.pos
  s.pos = skipQuoted(s.text, s.pos)
  const raw = s.text.slice(start, s.pos)
  return { value: unquote(raw), raw }
}

export function readBracket(s: Scanner): string {
  const start = s.pos
  s.pos = skipBracket(s.text, s.pos)
  return s.text.slice(start, s.pos)
}

/** A backticked call left unresolved by the expander. */
export function readBackticks(s: Scanner): string {
  const close = s.text.indexOf("`", s.pos + 1)
  const start = s.pos
  s.pos = close < 0 ? s.text.length : close + 1
  return s.text.slice(start, s.pos)
}

const FIELD_STOP = /[\s=!<>()"`,[\]]/

/** A bare field name or free-text word, up to an operator, paren, quote or whitespace. */
export function readWord(s: Scanner): string {
  const start = s.pos
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos] as string
    if (ch === "\\") {
      s.pos += 2
      continue
    }
    if (FIELD_STOP.test(ch)) break
    s.pos++
  }
  if (s.pos > s.text.length) s.pos = s.text.length
  return unescapeSpl(s.text.slice(start, s.pos))
}

/** The operator at the cursor, if any (consumed). */
export function readOperator(s: Scanner): "=" | "!=" | "<" | "<=" | ">" | ">=" | null {
  skipWs(s)
  for (const op of ["!=", "<=", ">=", "==", "=", "<", ">"] as const) {
    if (s.text.startsWith(op, s.pos)) {
      s.pos += op.length
      return op === "==" ? "=" : op
    }
  }
  return null
}

/**
 * An unquoted value after an operator: ends at whitespace or at an unbalanced `)`. Balanced
 * parentheses stay inside (`*GetCurrent()*`). In list mode a comma or quote also ends it.
 */
export function readBareValue(s: Scanner, list = false): string {
  const start = s.pos
  let depth = 0
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos] as string
    if (ch === "\\") {
      s.pos += 2
      continue
    }
    if (/\s/.test(ch)) break
    if (list && (ch === "," || ch === '"')) break
    if (ch === "(") depth++
    else if (ch === ")") {
      if (depth === 0) break
      depth--
    }
    s.pos++
  }
  if (s.pos > s.text.length) s.pos = s.text.length
  return unescapeSpl(s.text.slice(start, s.pos))
}

/** A value: quoted string or bare value. `quoted` tells the caller which. */
export function readValue(s: Scanner, list = false): { value: string; quoted: boolean } {
  skipWs(s)
  if (s.text[s.pos] === '"') return { value: readQuoted(s).value, quoted: true }
  return { value: readBareValue(s, list), quoted: false }
}

/** Text of a parenthesised group starting at the cursor (which must be `(`), without parens. */
export function readParenBody(s: Scanner): string {
  const start = s.pos + 1
  let depth = 0
  while (s.pos < s.text.length) {
    const ch = s.text[s.pos]
    if (ch === '"') {
      s.pos = skipQuoted(s.text, s.pos)
      continue
    }
    if (ch === "(") depth++
    else if (ch === ")" && --depth === 0) {
      s.pos++
      return s.text.slice(start, s.pos - 1)
    }
    s.pos++
  }
  return s.text.slice(start)
}
