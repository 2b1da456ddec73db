/**
 * Parsing of aggregation clauses shared by `stats`, `tstats`, `eventstats`-like commands:
 * `count min(_time) as firstTime values(X) AS y dc(X) by a, b span=1h`.
 *
 * Owns: top-level word splitting (quotes and parentheses kept whole), aggregate extraction and
 * the classification of aggregate functions into value-preserving vs counting.
 *
 * Invariants:
 * - For one event, value-preserving functions (values, min, max, latest...) return the input
 *   field's value, so the output name is an alias of that field; counting functions (count, dc,
 *   sum, avg...) produce numbers that only make sense over many events.
 * - Never throws on odd input; unknown words are ignored.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { skipQuoted } from "./text.ts"

export type Word = { w: string; start: number; end: number }

/** `\s` without a RegExp call per character (this scan runs over every stage of every rule). */
function isSpace(ch: string): boolean {
  const c = ch.charCodeAt(0)
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(ch))
}

/** Whitespace-separated words at top level; `(…)` and `"…"` stay inside a word. */
export function topLevelWords(text: string, commaSeparates = false): Word[] {
  const out: Word[] = []
  let i = 0
  while (i < text.length) {
    while (i < text.length && (isSpace(text[i] as string) || (commaSeparates && text[i] === ","))) i++
    if (i >= text.length) break
    const start = i
    let depth = 0
    while (i < text.length) {
      const ch = text[i] as string
      if (ch === '"') {
        i = skipQuoted(text, i)
        continue
      }
      if (ch === "(") depth++
      else if (ch === ")") depth = Math.max(0, depth - 1)
      else if (depth === 0 && (isSpace(ch) || (commaSeparates && ch === ","))) break
      i++
    }
    out.push({ w: text.slice(start, i), start, end: i })
  }
  return out
}

export type Aggregate = { fn: string; arg?: string; output: string; kind: "value" | "count" }

const VALUE_FNS = new Set([
  "values",
  "list",
  "min",
  "max",
  "first",
  "last",
  "earliest",
  "latest",
  "mode",
  "earliest_time",
  "latest_time",
])

/** Parse `count min(_time) as firstTime values(x) as y ...` (the part before BY). */
export function parseAggregates(words: Word[]): Aggregate[] {
  const out: Aggregate[] = []
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] as Word).w.replace(/,$/, "")
    if (w === "" || /^as$/i.test(w) || /^[\w.]+=/.test(w)) continue
    const m = /^([A-Za-z_][\w]*)(?:\(([\s\S]*)\))?$/.exec(w)
    if (!m) continue
    let output = w
    if (/^as$/i.test(words[i + 1]?.w ?? "") && words[i + 2]) {
      output = (words[i + 2] as Word).w.replace(/,$/, "").replace(/^"|"$/g, "")
      i += 2
    }
    const fn = (m[1] as string).toLowerCase()
    const arg = m[2]?.trim()
    const agg: Aggregate = { fn, output, kind: VALUE_FNS.has(fn) ? "value" : "count" }
    if (arg !== undefined) agg.arg = arg
    out.push(agg)
  }
  return out
}

export type StatsClause = { aggregates: Aggregate[]; by: string[] }

/** Split an aggregation clause at its top-level BY keyword. */
export function parseStatsClause(text: string): StatsClause {
  const words = topLevelWords(text)
  const byAt = words.findIndex((w) => /^by$/i.test(w.w))
  const aggWords = byAt < 0 ? words : words.slice(0, byAt)
  const by =
    byAt < 0
      ? []
      : topLevelWords(text.slice((words[byAt] as Word).end), true)
          .map((w) => w.w.replace(/^"|"$/g, ""))
          .filter((w) => w !== "" && !/^[\w]+=/.test(w))
  return { aggregates: parseAggregates(aggWords), by }
}
