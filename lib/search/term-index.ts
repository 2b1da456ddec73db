/**
 * The free-text term index: FlexSearch indexes, one per source of text (rule names, descriptions,
 * file paths, the catalog's indicator values, technique names, tactics, data sources, indicator
 * fields, macros, stories, authors, type/status/format/domain), built in the browser from the
 * packed records, plus each index's sorted word dictionary.
 *
 * Owns: how texts become words (the same split for indexing and querying), which rules an entry of
 * a source stands for, prefix lookup (a dictionary range, then FlexSearch per word), the one-edit
 * neighbours of a word for typo fallback, and the index's export/import for the cache across visits.
 * Invariants: strict tokenisation with a custom encoder: folded text split into runs of ASCII
 * letters and digits and non-ASCII characters, so `T1059.001` is the words `t1059` and `001` and
 * digit runs are never split further. Shared values (an indicator tested by 40 rules, a data source
 * of 2,000) are indexed once, as entries of their source, not once per rule. Rule ids are not
 * indexed (steps.ts matches them from their start). Pure: no I/O.
 * Never imports: React, Next, Node built-ins.
 */
import { Index } from "flexsearch"

import { foldText, type SearchFieldName } from "./fields.ts"
import type { SearchRecords } from "./records.ts"

/** Runs of word characters: ASCII letters and digits, anything non-ASCII (as steps.ts isWordChar). */
export const WORD = /[0-9a-z\u0080-\uffff]+/g

/** The words of a text, folded; also FlexSearch's encoder, so queries split the same way. */
export function words(text: string): string[] {
  return foldText(text).match(WORD) ?? []
}

/** A source of searchable text: its entries, the field a match counts as, the rules of each entry. */
export interface TermSource {
  field: SearchFieldName
  /** Entry texts, folded (what literal checks and snippets' positions read). */
  texts: string[]
  /** Rules each entry stands for, ascending; undefined when entry number = rule number. */
  rules?: number[][]
  index: Index
  /** Distinct words of the source, sorted: prefix ranges and typo neighbours. */
  dictionary: string[]
  /** Added after loading (values shipped apart): never saved, rebuilt when they are loaded again. */
  extra?: boolean
}

export interface TermIndex {
  sources: TermSource[]
}

/**
 * Index options: one slot (no positional scoring: steps.ts ranks), whole words, and our split in
 * place of FlexSearch's encoder, whose default cuts digit runs into triplets (`T1059` → `t 105 9`).
 */
function newIndex(): Index {
  return new Index({ tokenize: "strict", resolution: 1, encode: words, cache: false })
}

/** Inverse of `byRule` (rule → entries): entry → rules, ascending. */
function invert(byRule: number[][], entries: number): number[][] {
  const out: number[][] = Array.from({ length: entries }, () => [])
  byRule.forEach((list, r) => {
    for (const e of new Set(list)) out[e]?.push(r)
  })
  return out
}

/** Interns per-rule lists of strings into a table and the rules of each table entry. */
function table(lists: string[][]): { texts: string[]; rules: number[][] } {
  const number = new Map<string, number>()
  const byRule = lists.map((list) =>
    list.map((v) => {
      let n = number.get(v)
      if (n === undefined) number.set(v, (n = number.size))
      return n
    }),
  )
  return { texts: [...number.keys()], rules: invert(byRule, number.size) }
}

/** The sources of the records, texts only (no index yet). */
function sourceTexts(
  records: SearchRecords,
  indicatorRules: number[][],
): Array<{ field: SearchFieldName; raw: string[]; rules?: number[][] }> {
  const { rules, indicators, techniqueNames } = records
  const fieldsOf = rules.map((r) => [...new Set(r.indicators.map((i) => indicators[i]?.[0] ?? ""))])
  const t = (field: SearchFieldName, lists: string[][]) => {
    const { texts, rules: byEntry } = table(lists)
    return { field, raw: texts, rules: byEntry }
  }
  return [
    { field: "name", raw: rules.map((r) => r.name) },
    { field: "indicator", raw: indicators.map((i) => i[2]), rules: indicatorRules },
    t(
      "technique",
      rules.map((r) => r.techniques.map((id) => `${id} ${techniqueNames[id] ?? ""}`)),
    ),
    t(
      "tactic",
      rules.map((r) => r.tactics),
    ),
    t(
      "source",
      rules.map((r) => r.dataSources),
    ),
    t("field", fieldsOf),
    t(
      "macro",
      rules.map((r) => r.macros),
    ),
    t(
      "story",
      rules.map((r) => r.stories),
    ),
    t(
      "author",
      rules.map((r) => [r.author]),
    ),
    { field: "path", raw: rules.map((r) => r.path) },
    t(
      "meta",
      rules.map((r) => [`${r.type} ${r.status} ${r.format} ${r.domain}`]),
    ),
    { field: "description", raw: rules.map((r) => r.description) },
  ]
}

/** FlexSearch keeps its terms in `map`; the dictionary is read from there, not recomputed. */
function dictionaryOf(index: Index): string[] {
  return [...(index as unknown as { map: Map<string, unknown> }).map.keys()].sort()
}

/** Changes whenever the saved form does (sources, their order, index options): part of the cache key. */
export const SAVED_FORMAT = 1

/** A saved index: per source, FlexSearch's export chunks. */
export type SavedTermIndex = Array<Array<[key: string, data: string]>>

/**
 * The term index of `records` (`indicatorRules`: the rules of each indicator): built, or
 * imported from `saved` (an export of the same records, see exportTermIndex) without tokenising
 * a word again.
 */
export function buildTermIndex(records: SearchRecords, indicatorRules: number[][], saved?: SavedTermIndex): TermIndex {
  const sources = sourceTexts(records, indicatorRules).map(({ field, raw, rules }, s): TermSource => {
    const index = newIndex()
    const chunks = saved?.[s]
    if (chunks) for (const [key, data] of chunks) index.import(key, data)
    else raw.forEach((text, e) => text && index.add(e, text))
    return { field, texts: raw.map(foldText), rules, index, dictionary: dictionaryOf(index) }
  })
  return { sources }
}

/**
 * Indicators whose values came after loading (shipped apart), as one more source of the
 * `indicator` field: a term finds them as it would in the indicator source.
 */
export function addIndicatorSource(
  t: TermIndex,
  added: number[],
  indicators: SearchRecords["indicators"],
  indicatorRules: number[][],
): void {
  const index = newIndex()
  const raw = added.map((i) => indicators[i]?.[2] ?? "")
  raw.forEach((text, e) => text && index.add(e, text))
  t.sources.push({
    field: "indicator",
    texts: raw.map(foldText),
    rules: added.map((i) => indicatorRules[i] ?? []),
    index,
    dictionary: dictionaryOf(index),
    extra: true,
  })
}

/** The built index as strings, for the cache across visits (buildTermIndex's `saved`). */
export async function exportTermIndex(t: TermIndex): Promise<SavedTermIndex> {
  return Promise.all(
    t.sources
      .filter((src) => !src.extra)
      .map(async (src) => {
        const chunks: Array<[string, string]> = []
        await src.index.export(async (key: string, data: string) => {
          chunks.push([key, data])
        })
        return chunks
      }),
  )
}

/** First position in sorted `list` at or after `key`. */
function lowerBound(list: string[], key: string): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((list[mid] ?? "") < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Dictionary words of `src` starting with `prefix` (folded). */
export function wordsStartingWith(src: TermSource, prefix: string): string[] {
  const from = lowerBound(src.dictionary, prefix)
  const to = lowerBound(src.dictionary, `${prefix}\uffff`)
  return src.dictionary.slice(from, to)
}

/** Entries of `src` holding the whole word `word` (folded, one word). */
export function entriesWith(src: TermSource, word: string): number[] {
  return src.index.search(word, { limit: src.texts.length }) as number[]
}

/** Whether `a` and `b` are one edit apart (insert, delete, substitute, or swap two neighbours). */
function oneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

/** Shortest word typo fallback corrects: shorter words have too many neighbours to guess from. */
export const FUZZY_MIN = 5

/**
 * Words of the dictionaries one edit from `word`, or starts of words one edit from it (so
 * `kerberost` finds `kerberoast`, the start of `kerberoasting`); each once. The first letter is
 * taken as typed: it is rarely the mistake, and it keeps the scan to a slice of the dictionary.
 */
export function oneEditNeighbours(t: TermIndex, word: string): string[] {
  if (word.length < FUZZY_MIN) return []
  const out = new Set<string>()
  const first = word[0] ?? ""
  for (const src of t.sources) {
    const from = lowerBound(src.dictionary, first)
    const to = lowerBound(src.dictionary, `${first}\uffff`)
    for (let i = from; i < to; i++) {
      const w = src.dictionary[i] ?? ""
      if (w.length < word.length - 1) continue
      for (const head of w.length > word.length + 1
        ? [w.slice(0, word.length - 1), w.slice(0, word.length), w.slice(0, word.length + 1)]
        : [w]) {
        if (oneEdit(word, head)) out.add(head)
      }
    }
  }
  return [...out]
}
