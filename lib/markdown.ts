/**
 * A safe reading of Markdown written by rule authors (Elastic's investigation guides and setup
 * notes): headings, paragraphs, bullet and numbered lists (nested by indentation), fenced code,
 * and inline code, bold, italics and links.
 *
 * Owns: turning Markdown text into a small tree that components render as React text.
 * Invariants:
 * - Raw HTML is never interpreted: `<b>` stays the characters `<b>`. The tree holds text only,
 *   and components render it through React, which escapes it.
 * - Links keep only `http:`, `https:` and `mailto:` targets; any other link becomes its text.
 * - Linear in the input: one pass over lines, one left-to-right scan per line, no backtracking
 *   regexes over user text.
 * Never imports: React, Next, Node built-ins.
 */

export type Inline =
  | { t: "text"; text: string }
  | { t: "code"; text: string }
  | { t: "strong"; children: Inline[] }
  | { t: "em"; children: Inline[] }
  | { t: "link"; href: string; children: Inline[] }

export type ListItem = { inline: Inline[]; children: Block[] }

export type Block =
  | { t: "heading"; level: number; inline: Inline[] }
  | { t: "paragraph"; inline: Inline[] }
  | { t: "list"; ordered: boolean; items: ListItem[] }
  | { t: "code"; text: string }

const SAFE_HREF = /^(https?:\/\/|mailto:)/i

/** Inline Markdown → inline nodes. */
export function parseInline(s: string): Inline[] {
  const out: Inline[] = []
  let text = ""
  const flush = () => {
    if (text) out.push({ t: "text", text })
    text = ""
  }
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (c === "\\" && i + 1 < s.length && /[\\`*_[\]()#+\-.!<>]/.test(s[i + 1]!)) {
      text += s[i + 1]
      i += 2
      continue
    }
    if (c === "`") {
      let n = 1
      while (s[i + n] === "`") n++
      const fence = "`".repeat(n)
      const end = s.indexOf(fence, i + n)
      if (end > 0) {
        flush()
        out.push({
          t: "code",
          text: s.slice(i + n, end).trim() === "" ? s.slice(i + n, end) : s.slice(i + n, end).replace(/^ (.*) $/, "$1"),
        })
        i = end + n
        continue
      }
    }
    if ((c === "*" || c === "_") && s[i + 1] === c) {
      const end = s.indexOf(c + c, i + 2)
      if (end > i + 2) {
        flush()
        out.push({ t: "strong", children: parseInline(s.slice(i + 2, end)) })
        i = end + 2
        continue
      }
    }
    if ((c === "*" || c === "_") && s[i + 1] !== c && s[i + 1] !== " " && s[i + 1] !== undefined) {
      const end = s.indexOf(c, i + 1)
      // `_` inside words (snake_case) is not emphasis.
      const wordy = c === "_" && /\w/.test(s[i - 1] ?? "")
      if (end > i + 1 && !wordy && s[end - 1] !== " ") {
        flush()
        out.push({ t: "em", children: parseInline(s.slice(i + 1, end)) })
        i = end + 1
        continue
      }
    }
    if (c === "[") {
      const close = s.indexOf("](", i + 1)
      const end = close < 0 ? -1 : s.indexOf(")", close + 2)
      if (close > i && end > close && !s.slice(i + 1, close).includes("[")) {
        const href = s.slice(close + 2, end).trim()
        const label = parseInline(s.slice(i + 1, close))
        flush()
        if (SAFE_HREF.test(href)) out.push({ t: "link", href, children: label })
        else out.push(...label)
        i = end + 1
        continue
      }
    }
    text += c
    i++
  }
  flush()
  return out
}

const indentOf = (line: string): number => line.length - line.trimStart().length
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/

/** Markdown text → blocks. */
export function parseMarkdown(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, "\n").split("\n")
  let i = 0

  const parseBlocks = (minIndent: number): Block[] => {
    const blocks: Block[] = []
    let para: string[] = []
    const endPara = () => {
      if (para.length) blocks.push({ t: "paragraph", inline: parseInline(para.join(" ")) })
      para = []
    }
    while (i < lines.length) {
      const line = lines[i]!
      if (line.trim() === "") {
        endPara()
        i++
        continue
      }
      if (indentOf(line) < minIndent) break
      const trimmed = line.trim()
      if (trimmed.startsWith("```") || trimmed.startsWith("~~~")) {
        endPara()
        const fence = trimmed.slice(0, 3)
        const body: string[] = []
        i++
        while (i < lines.length && !lines[i]!.trim().startsWith(fence)) body.push(lines[i++]!)
        i++
        blocks.push({ t: "code", text: body.join("\n") })
        continue
      }
      const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(trimmed)
      if (h) {
        endPara()
        blocks.push({ t: "heading", level: h[1]!.length, inline: parseInline(h[2]!) })
        i++
        continue
      }
      const li = LIST_ITEM.exec(line)
      if (li) {
        endPara()
        const ordered = /\d/.test(li[2]!)
        const items: ListItem[] = []
        const base = li[1]!.length
        while (i < lines.length) {
          const m = LIST_ITEM.exec(lines[i]!)
          if (!m || m[1]!.length !== base || /\d/.test(m[2]!) !== ordered) break
          i++
          const text = [m[3]!]
          // Continuation lines of the item (more indented, not a list item of their own).
          while (
            i < lines.length &&
            lines[i]!.trim() !== "" &&
            indentOf(lines[i]!) > base &&
            !LIST_ITEM.test(lines[i]!)
          )
            text.push(lines[i++]!.trim())
          const children =
            i < lines.length && LIST_ITEM.test(lines[i]!) && indentOf(lines[i]!) > base
              ? parseBlocks(indentOf(lines[i]!))
              : []
          items.push({ inline: parseInline(text.join(" ")), children })
          while (
            i < lines.length &&
            lines[i]!.trim() === "" &&
            i + 1 < lines.length &&
            LIST_ITEM.exec(lines[i + 1]!)?.[1]!.length === base
          )
            i++
        }
        blocks.push({ t: "list", ordered, items })
        continue
      }
      para.push(trimmed)
      i++
    }
    endPara()
    return blocks
  }
  const out: Block[] = []
  while (i < lines.length) {
    const before = i
    out.push(...parseBlocks(0))
    if (i === before) i++
  }
  return out
}
