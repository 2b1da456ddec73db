/**
 * Snippets: the part of a matched field shown under a result, with the matched terms marked.
 *
 * Owns: windowing long text around the first match and marking every occurrence of the terms.
 * Invariants: marks are [start, end) offsets into `text`, sorted and non-overlapping; the text
 * is returned as plain text (components render it as text, marks as <mark>), never as HTML.
 * Never imports: React, Next, Node built-ins.
 */

export interface Snippet {
  text: string
  /** Matched ranges, [start, end) into `text`, ascending, non-overlapping. */
  marks: Array<[start: number, end: number]>
}

/** Characters of context kept around the first match of a long text. */
const WINDOW = 160

/** Ranges of `text` holding any of `terms`, case-insensitively; longer terms win overlaps. */
export function markTerms(text: string, terms: string[]): Snippet["marks"] {
  const lower = text.toLowerCase()
  const ranges: Array<[number, number]> = []
  for (const term of [...new Set(terms.map((t) => t.toLowerCase()))].filter(Boolean)) {
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + term.length)) {
      ranges.push([at, at + term.length])
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1])
  const out: Array<[number, number]> = []
  for (const r of ranges) {
    const last = out[out.length - 1]
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1])
    else out.push([r[0], r[1]])
  }
  return out
}

/** `text` cut to about WINDOW characters around its first match, with marks. */
export function textSnippet(text: string, terms: string[]): Snippet {
  // Cut the raw text first (with slack for the whitespace folded below): descriptions run to
  // thousands of characters and only a window is shown.
  const lower = text.toLowerCase()
  const hits = terms.map((t) => lower.indexOf(t.toLowerCase())).filter((i) => i >= 0)
  const from = Math.max(0, Math.min(...hits, Infinity) - WINDOW)
  const raw = from > 0 || text.length > 4 * WINDOW ? text.slice(from, from + 3 * WINDOW) : text
  const flat = raw.replace(/\s+/g, " ").trim()
  const marks = markTerms(flat, terms)
  if (flat.length <= WINDOW && from === 0 && raw.length === text.length) return { text: flat, marks }
  const first = marks[0]?.[0] ?? 0
  let start = Math.max(0, first - WINDOW / 3)
  if (start > 0) start = flat.indexOf(" ", start) + 1 || start
  const end = Math.min(flat.length, start + WINDOW)
  const before = start > 0 || from > 0
  const after = end < flat.length || from + raw.length < text.length
  const cut = `${before ? "…" : ""}${flat.slice(start, end)}${after ? "…" : ""}`
  return { text: cut, marks: markTerms(cut, terms) }
}

/**
 * The items holding a term (the first items when none does), at most `max`, joined by " · ".
 * With `total`, `items` are the first of `total` items that all matched (a filter's): they are
 * shown as they are.
 */
export function listSnippet(items: string[], terms: string[], max = 3, total?: number): Snippet {
  const lowered = terms.map((t) => t.toLowerCase()).filter(Boolean)
  const hit = total === undefined ? items.filter((i) => lowered.some((t) => i.toLowerCase().includes(t))) : items
  const shown = (hit.length > 0 ? hit : items).slice(0, max)
  const more = (total ?? (hit.length > 0 ? hit.length : items.length)) - shown.length
  const text = `${shown.join(" · ")}${more > 0 ? ` · +${more} more` : ""}`
  return { text, marks: markTerms(text, terms) }
}
