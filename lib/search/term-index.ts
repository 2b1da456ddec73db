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
  /** FlexSearch over the entries; undefined until built (buildSome): lookups scan `texts` meanwhile. */
  index?: Index
  /** Distinct words of the source, sorted: prefix ranges and typo neighbours; empty until built. */
  dictionary: string[]
  /** Added after loading (values shipped apart): never saved, rebuilt when they are loaded again. */
  extra?: boolean
  /** While not built: the words gathered so far and the next entry to read. */
  building?: Building
}

interface Building {
  /** The texts joined, for scanning; made by the first scan. */
  joined?: { text: string; starts: Int32Array }
  raw: string[]
  postings: Map<string, number[]>
  registry: number[]
  next: number
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

/** A source's texts before indexing: the field, the entry texts, the rules of each entry. */
type SourceText = { field: SearchFieldName; raw: string[]; rules?: number[][] }

/** The sources of the records, texts only (no index yet), each made when called. */
function sourceTexts(records: SearchRecords, indicatorRules: number[][]): Array<() => SourceText> {
  const { rules, indicators, techniqueNames } = records
  const t = (field: SearchFieldName, lists: () => string[][]) => (): SourceText => {
    const { texts, rules: byEntry } = table(lists())
    return { field, raw: texts, rules: byEntry }
  }
  return [
    () => ({ field: "name", raw: rules.map((r) => r.name) }),
    () => ({ field: "indicator", raw: indicators.map((i) => i[2]), rules: indicatorRules }),
    t("technique", () => rules.map((r) => r.techniques.map((id) => `${id} ${techniqueNames[id] ?? ""}`))),
    t("tactic", () => rules.map((r) => r.tactics)),
    t("source", () => rules.map((r) => r.dataSources)),
    t("field", () => rules.map((r) => [...new Set(r.indicators.map((i) => indicators[i]?.[0] ?? ""))])),
    t("macro", () => rules.map((r) => r.macros)),
    t("story", () => rules.map((r) => r.stories)),
    t("author", () => rules.map((r) => [r.author])),
    () => ({ field: "path", raw: rules.map((r) => r.path) }),
    t("meta", () => rules.map((r) => [`${r.type} ${r.status} ${r.format} ${r.domain}`])),
    () => ({ field: "description", raw: rules.map((r) => r.description) }),
  ]
}

/** FlexSearch keeps its terms in `map`; the dictionary is read from there, not recomputed. */
function dictionaryOf(index: Index): string[] {
  return [...(index as unknown as { map: Map<string, unknown> }).map.keys()].sort()
}

/** Changes whenever the saved form does (sources, their order, index options): part of the cache key. */
export const SAVED_FORMAT = 2

/** A saved index: per source, FlexSearch's export chunks. */
export type SavedTermIndex = Array<Array<[key: string, data: string]>>

/** Runs steps (a generator that pauses between them) to their end. */
export function finish<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/**
 * The term index of `records` (`indicatorRules`: the rules of each indicator): imported from
 * `saved` (an export of the same records, see exportTermIndex) without tokenising a word again;
 * else built now, or with `lazy` left to buildSome (lookups scan the texts until then, with the
 * same answers), so that the first question is answered as soon as the records are unpacked.
 * It pauses after each source's texts, so a caller loading a large catalog can answer questions
 * in between (search.worker.ts); `finish` runs it whole.
 */
export function* termIndexSteps(
  records: SearchRecords,
  indicatorRules: number[][],
  saved?: SavedTermIndex,
  lazy = false,
): Generator<void, TermIndex> {
  const sources: TermSource[] = []
  for (const [s, make] of sourceTexts(records, indicatorRules).entries()) {
    const { field, raw, rules } = make()
    const src: TermSource = { field, rules, ...unbuilt(raw) }
    const chunks = saved?.[s]
    if (chunks) importSource(src, chunks)
    sources.push(src)
    yield
  }
  const t = { sources }
  if (!lazy) buildSome(t, () => false)
  return t
}

function unbuilt(raw: string[]): Pick<TermSource, "texts" | "dictionary" | "building"> {
  return { texts: raw.map(foldText), dictionary: [], building: { raw, postings: new Map(), registry: [], next: 0 } }
}

/** Whether every source of `t` has its FlexSearch index. */
export function termIndexBuilt(t: TermIndex): boolean {
  return t.sources.every((src) => src.index !== undefined)
}

/**
 * Builds the sources of `t` not built yet, entry by entry, until `stop()` says so (asked every
 * few hundred entries); returns whether all are built. The words are gathered here and handed to
 * FlexSearch in the form its own import reads (the registry of entries, then word → entries):
 * the index `add` would make entry by entry (same split, `words`; each word once per entry;
 * entries ascending), in a fraction of the time and garbage.
 */
export function buildSome(t: TermIndex, stop: () => boolean): boolean {
  for (const src of t.sources) {
    const b = src.building
    if (!b) continue
    const { raw, postings, registry } = b
    const texts = src.texts
    while (b.next < texts.length) {
      const end = Math.min(texts.length, b.next + 256)
      for (let e = b.next; e < end; e++) {
        // FlexSearch registers every entry added, words or none (`*`, `$`): so does this.
        if (!raw[e]) continue
        registry.push(e)
        const found = (texts[e] ?? "").match(WORD)
        if (!found) continue
        for (const w of found) {
          const list = postings.get(w)
          if (list === undefined) postings.set(w, [e])
          else if (list[list.length - 1] !== e) list.push(e)
        }
      }
      b.next = end
      if (b.next < texts.length && stop()) return false
    }
    const dictionary = [...postings.keys()].sort()
    const index = newIndex()
    index.import("reg", registry as unknown as string)
    index.import("map", dictionary.map((w) => [w, [postings.get(w)]]) as unknown as string)
    src.index = index
    src.dictionary = dictionary
    delete src.building
    if (stop()) return termIndexBuilt(t)
  }
  return true
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
  const raw = added.map((i) => indicators[i]?.[2] ?? "")
  const src: TermSource = {
    field: "indicator",
    rules: added.map((i) => indicatorRules[i] ?? []),
    ...unbuilt(raw),
    extra: true,
  }
  buildSome({ sources: [src] }, () => false)
  t.sources.push(src)
}

/** The built index as strings, for the cache across visits (termIndexSteps' `saved`). */
export async function exportTermIndex(t: TermIndex): Promise<SavedTermIndex> {
  buildSome(t, () => false)
  return Promise.all(
    t.sources
      .filter((src) => !src.extra)
      .map(async (src) => {
        const chunks: Array<[string, string]> = []
        await src.index?.export(async (key: string, data: string) => {
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

/** The words of a source starting with a prefix, sorted, and the entries holding each (ascending). */
export interface PrefixLookup {
  words: string[]
  entries: (word: string) => number[]
}

/**
 * Words of `src` starting with `prefix` (folded, one word), and their entries: from the
 * dictionary and FlexSearch once the source is built; before, by scanning its texts for the
 * prefix at word starts, which finds the same words and entries.
 */
export function prefixLookup(src: TermSource, prefix: string): PrefixLookup {
  const index = src.index
  if (index) {
    const from = lowerBound(src.dictionary, prefix)
    const to = lowerBound(src.dictionary, `${prefix}\uffff`)
    return {
      words: src.dictionary.slice(from, to),
      entries: (word) => index.search(word, { limit: src.texts.length }) as number[],
    }
  }
  const found = new Map<string, number[]>()
  const { text, starts } = (src.building!.joined ??= joinTexts(src.texts))
  // Hits come in text order, so the entry of each is found by moving forward, never back.
  let e = 0
  for (let i = text.indexOf(prefix); i !== -1; i = text.indexOf(prefix, i + 1)) {
    if (i > 0 && isWordCode(text.charCodeAt(i - 1))) continue
    let j = i + prefix.length
    while (j < text.length && isWordCode(text.charCodeAt(j))) j++
    while ((starts[e + 1] ?? Infinity) <= i) e++
    const w = text.slice(i, j)
    const list = found.get(w)
    if (list === undefined) found.set(w, [e])
    else if (list[list.length - 1] !== e) list.push(e)
  }
  return { words: [...found.keys()].sort(), entries: (word) => found.get(word) ?? [] }
}

/**
 * The texts of a source end to end, each followed by a character that is no word character (so
 * no word spans two entries), and where each starts: one string to scan with indexOf instead of
 * tens of thousands.
 */
function joinTexts(texts: string[]): { text: string; starts: Int32Array } {
  const starts = new Int32Array(texts.length)
  let at = 0
  texts.forEach((t, e) => {
    starts[e] = at
    at += t.length + 1
  })
  return { text: texts.join("\n"), starts }
}

/** A UTF-16 code unit of WORD: ASCII lower-case letters and digits, anything from U+0080 up. */
function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c >= 0x80
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
  // The dictionaries are read whole: a source still being built is finished now.
  buildSome(t, () => false)
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

/**
 * Gives an unbuilt source the FlexSearch index saved by an earlier visit (exportTermIndex's
 * chunks for this source); throws, leaving the source as it was, when they do not import.
 */
export function importSource(src: TermSource, chunks: Array<[key: string, data: string]>): void {
  if (src.index) return
  const index = newIndex()
  for (const [key, data] of chunks) index.import(key, data)
  src.index = index
  src.dictionary = dictionaryOf(index)
  delete src.building
}
