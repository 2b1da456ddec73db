/**
 * Turns a `/search-index.json` payload back into a searchable form: unpacks the records and
 * derives, once, the texts and lookup tables queries need.
 *
 * Owns: `LoadedSearch`, the in-memory form the search engine (steps.ts, run.ts) reads, and when
 * the rule ids (shipped apart, `/search-ids.json`) are needed.
 * Invariants: derived tables are rebuilt from the records, never shipped, so the payload keeps
 * each fact once. Pure: the caller fetches the payloads.
 * Never imports: React, Next, Node built-ins.
 */
import type { SearchData, SearchIds } from "./build-index.ts"
import { SEARCH_DATA_VERSION } from "./build-index.ts"
import { foldText, SEARCH_FIELDS, searchDoc, type SearchDoc } from "./fields.ts"
import { FACET_KEYS, parseQuery, type FacetKey } from "./query.ts"
import { unpackRecords, type SearchRecords, type SearchRule } from "./records.ts"

/** One facet's values, numbered, and each rule's value numbers: counting is array arithmetic. */
export interface FacetTable {
  values: string[]
  byRule: number[][]
}

/** The values of a facet on a rule (empty when the rule has none, e.g. no domain). */
export function facetValues(rule: SearchRule, key: FacetKey): string[] {
  switch (key) {
    case "tactic":
      return rule.tactics
    case "source":
      return rule.dataSources
    default:
      return rule[key] ? [rule[key]] : []
  }
}

function facetTable(rules: SearchRule[], key: FacetKey): FacetTable {
  const number = new Map<string, number>()
  const byRule = rules.map((rule) => [
    ...new Set(
      facetValues(rule, key).map((v) => {
        let n = number.get(v)
        if (n === undefined) number.set(v, (n = number.size))
        return n
      }),
    ),
  ])
  return { values: [...number.keys()], byRule }
}

/**
 * Every word of the searched fields (ids aside), folded, with the rule fields holding it: a
 * term's candidates are the postings of the words it can begin, found by binary search.
 */
export interface WordIndex {
  /** Distinct words, sorted. */
  words: string[]
  /** Postings of words[i] are entries[offsets[i]] up to entries[offsets[i + 1]]. */
  offsets: Int32Array
  /** `rule * FIELD_SLOTS + field number` (in SEARCH_FIELDS), ascending per word. */
  entries: Int32Array
}

/** Room per rule in a posting: SEARCH_FIELDS has fewer fields. */
export const FIELD_SLOTS = 16

/** Runs of word characters: ASCII letters and digits, anything non-ASCII (as steps.ts isWordChar). */
export const WORD = /[0-9a-z\u0080-\uffff]+/g

export interface LoadedSearch {
  data: SearchRecords
  /** False while the ids shipped apart are not loaded: rule ids are empty, id search is off. */
  hasIds: boolean
  /** Per rule, the text of each field, lower-cased: filters and literal checks. */
  docs: SearchDoc[]
  /** Same texts as written, for snippets. */
  rawDocs: SearchDoc[]
  /** Per rule, the text of each field folded (foldText): what terms are matched against. */
  folded: SearchDoc[]
  words: WordIndex
  /** Per indicator, the rules carrying it, ascending. */
  indicatorRules: number[][]
  /** Per indicator, its value lower-cased. */
  indicatorValues: string[]
  /** Indicators by lower-cased value: the exact-value offer without a pass over them all. */
  indicatorsByValue: Map<string, number[]>
  /** Per rule, its position in name order: ties in ranking are broken by name without comparing strings. */
  nameOrder: Int32Array
  /** The rule at each position of name order (nameOrder inverted). */
  byName: Int32Array
  facets: Record<FacetKey, FacetTable>
}

function lowerDoc(d: SearchDoc): SearchDoc {
  const out = { ...d }
  for (const k of Object.keys(out) as Array<keyof SearchDoc>) {
    const v = out[k]
    if (typeof v === "string") (out as Record<string, unknown>)[k] = v.toLowerCase()
  }
  return out
}

/** `lower` (already lower-cased) folded: ASCII text is kept as is, without a copy. */
function foldLower(lower: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(lower) ? foldText(lower) : lower
}

function foldDoc(d: SearchDoc): SearchDoc {
  const out = { ...d }
  for (const f of SEARCH_FIELDS) out[f.name] = foldLower(d[f.name])
  return out
}

/** A character of WORD (folded text has no upper-case ASCII). */
function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127
}

function wordIndex(folded: SearchDoc[]): WordIndex {
  const byWord = new Map<string, number[]>()
  folded.forEach((doc, r) => {
    SEARCH_FIELDS.forEach((f, code) => {
      if (f.name === "id") return
      const posting = r * FIELD_SLOTS + code
      const text = doc[f.name]
      // By hand rather than with WORD: the payload holds about a million words, and a match
      // object for each is most of the load time.
      for (let i = 0; i < text.length; ) {
        while (i < text.length && !isWordCode(text.charCodeAt(i))) i++
        const start = i
        while (i < text.length && isWordCode(text.charCodeAt(i))) i++
        if (i === start) break
        const word = text.slice(start, i)
        const list = byWord.get(word)
        if (!list) byWord.set(word, [posting])
        else if (list[list.length - 1] !== posting) list.push(posting)
      }
    })
  })
  const words = [...byWord.keys()].sort()
  const offsets = new Int32Array(words.length + 1)
  let total = 0
  words.forEach((w, i) => {
    offsets[i] = total
    total += byWord.get(w)?.length ?? 0
  })
  offsets[words.length] = total
  const entries = new Int32Array(total)
  words.forEach((w, i) => entries.set(byWord.get(w) ?? [], offsets[i] ?? 0))
  return { words, offsets, entries }
}

/** The searchable form of a payload (and of the ids, when at hand); throws on a payload of another version. */
export function loadSearchIndex(data: SearchData, ids?: SearchIds): LoadedSearch {
  if (data.version !== SEARCH_DATA_VERSION) {
    throw new Error(`search index version ${data.version}, expected ${SEARCH_DATA_VERSION}: rebuild the site`)
  }
  const records = unpackRecords(data)
  const rawDocs = records.rules.map((_, r) => searchDoc(records, r))
  const docs = rawDocs.map(lowerDoc)
  const folded = docs.map(foldDoc)
  const indicatorRules: number[][] = records.indicators.map(() => [])
  records.rules.forEach((rule, r) => {
    for (const i of rule.indicators) indicatorRules[i]?.push(r)
  })
  const nameOrder = new Int32Array(records.rules.length)
  const byName = new Int32Array(records.rules.length)
  records.rules
    .map((rule, r) => [rule.name.toLowerCase(), r] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
    .forEach(([, r], i) => {
      nameOrder[r] = i
      byName[i] = r
    })
  const indicatorValues = records.indicators.map((i) => i[2].toLowerCase())
  const indicatorsByValue = new Map<string, number[]>()
  indicatorValues.forEach((v, i) => {
    const list = indicatorsByValue.get(v)
    if (list) list.push(i)
    else indicatorsByValue.set(v, [i])
  })
  const s: LoadedSearch = {
    data: records,
    hasIds: !data.idsApart,
    nameOrder,
    byName,
    facets: Object.fromEntries(FACET_KEYS.map((k) => [k, facetTable(records.rules, k)])) as Record<FacetKey, FacetTable>,
    docs,
    rawDocs,
    folded,
    words: wordIndex(folded),
    indicatorRules,
    indicatorValues,
    indicatorsByValue,
  }
  if (ids) addIds(s, ids)
  return s
}

/** Fills in the ids shipped apart (`/search-ids.json`); throws when they belong to another build. */
export function addIds(s: LoadedSearch, ids: SearchIds): void {
  if (ids.version !== SEARCH_DATA_VERSION || ids.ids.length !== s.data.rules.length) {
    throw new Error("the search ids do not match the search index: rebuild the site")
  }
  ids.ids.forEach((id, r) => {
    const rule = s.data.rules[r]
    const raw = s.rawDocs[r]
    const doc = s.docs[r]
    const folded = s.folded[r]
    if (rule) rule.id = id
    if (raw) raw.id = id
    if (doc) doc.id = id.toLowerCase()
    if (folded) folded.id = foldLower(id.toLowerCase())
  })
  s.hasIds = true
}

/** Shortest term that can match an id: ids are matched from their start, never on a fragment. */
export const ID_TERM_MIN = 8

/**
 * Whether `query` can match a rule id: an `id:` filter, or a term of ID_TERM_MIN or more
 * characters that can begin an id (the payload says all ids are UUIDs when they are shipped apart).
 */
export function queryNeedsIds(query: string): boolean {
  const { filters, terms } = parseQuery(query)
  return filters.some((f) => f.key === "id") || terms.some((t) => /^[0-9a-f]{8}/i.test(t))
}
