/**
 * Turns a `/search-index.json` payload back into a searchable form: unpacks the records and
 * derives, once, the texts, lookup tables and term index (term-index.ts) queries need.
 *
 * Owns: `LoadedSearch`, the in-memory form the search engine (steps.ts, run.ts) reads, and when
 * the rule ids (shipped apart, `/search-ids.json`) are needed.
 * Invariants: derived tables are rebuilt from the records, never shipped, so the payload keeps
 * each fact once. Pure: the caller fetches the payloads.
 * Never imports: React, Next, Node built-ins.
 */
import type { SearchData, SearchIds, SearchValues, ValuesApart } from "./build-index.ts"
import { SEARCH_DATA_VERSION } from "./build-index.ts"
import { foldText, SEARCH_FIELDS, searchDoc, type SearchDoc } from "./fields.ts"
import { FACET_KEYS, parseQuery, type FacetKey } from "./query.ts"
import { unpackRecords, type SearchRecords, type SearchRule } from "./records.ts"
import {
  addIndicatorSource,
  finish,
  FUZZY_MIN,
  termIndexSteps,
  words,
  type SavedTermIndex,
  type TermIndex,
} from "./term-index.ts"

/** One facet's values, numbered, and each rule's value numbers: counting is array arithmetic. */
export interface FacetTable {
  values: string[]
  byRule: number[][]
  /** Per value, its position in alphabetical (collation) order: ties in counts sort without comparing strings. */
  order: Int32Array
}

/**
 * Every rule's facet values in one typed array, numbered across facets (facet `f`'s value `v` is
 * `base[f] + v`): rule `r`'s values of facet `f` are `values[at[r * F + f] .. at[r * F + f + 1])`,
 * F being the number of facets, so a rule's values of all facets are one run. Counting the facets
 * of thousands of rules is then one pass over numbers.
 */
export interface FacetRuns {
  base: Int32Array
  at: Int32Array
  values: Int32Array
}

function facetRuns(tables: FacetTable[], rules: number): FacetRuns {
  const F = tables.length
  const base = new Int32Array(F + 1)
  tables.forEach((t, f) => {
    base[f + 1] = (base[f] ?? 0) + t.values.length
  })
  const at = new Int32Array(rules * F + 1)
  let size = 0
  for (let r = 0; r < rules; r++) for (const t of tables) size += t.byRule[r]?.length ?? 0
  const values = new Int32Array(size)
  let k = 0
  for (let r = 0; r < rules; r++) {
    tables.forEach((t, f) => {
      at[r * F + f] = k
      for (const v of t.byRule[r] ?? []) values[k++] = (base[f] ?? 0) + v
    })
  }
  at[rules * F] = k
  return { base, at, values }
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
  const values = [...number.keys()]
  const order = new Int32Array(values.length)
  const collator = new Intl.Collator()
  values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => collator.compare(a[0], b[0]))
    .forEach(([, i], at) => {
      order[i] = at
    })
  return { values, byRule, order }
}

export interface LoadedSearch {
  data: SearchRecords
  /** False while the ids shipped apart are not loaded: their rule ids are empty. */
  hasIds: boolean
  /** Some ids were shipped inline (not UUIDs): id search is on before the others are loaded. */
  inlineIds: boolean
  /** Per rule, its field texts (docOf), made the first time a query needs them. */
  docs: Array<RuleDoc | undefined>
  /** FlexSearch over the records' texts: free-text terms find their candidates here. */
  terms: TermIndex
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
  /** The facet values of every rule, in FACET_KEYS order, as runs of numbers. */
  facetRuns: FacetRuns
  /** The indicators whose values are shipped apart, until they are loaded (addValues). */
  pending?: Pending
  /** Tables a kind of filter needs, made by the first such filter (filters.ts). */
  lookups: {
    /** Indicator numbers by lower-cased field name, ascending. */
    byField?: Map<string, number[]>
    /** The distinct lower-cased indicator values, where each starts in `text`, and `text`: them joined. */
    values?: { values: string[]; starts: Int32Array; text: string | undefined }
  }
}

/** Indicators whose values are shipped apart (`/search-values.json`). */
export interface Pending {
  meta: ValuesApart
  /** Indicator number → position of its value in the apart payload. */
  slot: Map<number, number>
  words: Set<string>
  chars: Set<string>
  loaded?: boolean
}

/** A rule's field texts: as written (snippets) and folded (foldText: what terms are matched against). */
export interface RuleDoc {
  raw: SearchDoc
  folded: SearchDoc
}

/** `lower` (already lower-cased) folded: ASCII text is kept as is, without a copy. */
function foldLower(lower: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(lower) ? foldText(lower) : lower
}

/**
 * The field texts of rule `r`. Made on first use rather than at load: most queries read a few
 * rules' texts (names, snippets of the hits shown), and the index is ready sooner without them.
 */
export function docOf(s: LoadedSearch, r: number): RuleDoc {
  let d = s.docs[r]
  if (!d) {
    const raw = searchDoc(s.data, r)
    const folded = { ...raw }
    for (const f of SEARCH_FIELDS) folded[f.name] = foldLower(raw[f.name].toLowerCase())
    s.docs[r] = d = { raw, folded }
  }
  return d
}

/**
 * The searchable form of a payload (and of the ids, when at hand); throws on a payload of another
 * version. With `lazy`, the term index is left to be built (term-index.ts buildSome) while
 * queries are already answered, the same, from the texts.
 */
export function loadSearchIndex(data: SearchData, ids?: SearchIds, saved?: SavedTermIndex, lazy = false): LoadedSearch {
  return finish(loadSteps(data, ids, saved, lazy))
}

/**
 * loadSearchIndex a step at a time: it pauses between the costly parts (records, tables, each
 * source of the term index), so the search worker can answer questions from the first part of the
 * index (head.ts) while the whole one loads.
 */
export function* loadSteps(
  data: SearchData,
  ids?: SearchIds,
  saved?: SavedTermIndex,
  lazy = false,
): Generator<void, LoadedSearch> {
  if (data.version !== SEARCH_DATA_VERSION) {
    throw new Error(`search index version ${data.version}, expected ${SEARCH_DATA_VERSION}: rebuild the site`)
  }
  const records = unpackRecords(data)
  yield
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
  const pending = pendingValues(data)
  indicatorValues.forEach((v, i) => {
    if (pending?.slot.has(i)) return
    const list = indicatorsByValue.get(v)
    if (list) list.push(i)
    else indicatorsByValue.set(v, [i])
  })
  yield
  const facets = Object.fromEntries(FACET_KEYS.map((k) => [k, facetTable(records.rules, k)])) as Record<
    FacetKey,
    FacetTable
  >
  const runs = facetRuns(
    FACET_KEYS.map((k) => facets[k]),
    records.rules.length,
  )
  yield
  const terms = yield* termIndexSteps(records, indicatorRules, saved, lazy)
  const s: LoadedSearch = {
    data: records,
    hasIds: !data.idsApart,
    inlineIds: data.rules.id.some((id) => id !== ""),
    nameOrder,
    byName,
    facets,
    facetRuns: runs,
    docs: [],
    lookups: {},
    terms,
    indicatorRules,
    indicatorValues,
    indicatorsByValue,
    ...(pending ? { pending } : {}),
  }
  if (ids) addIds(s, ids)
  return s
}

/**
 * The indicators whose values are shipped apart (build-index.ts ValuesApart): for each, the
 * position of its value in the apart payload.
 */
function pendingValues(data: SearchData): Pending | undefined {
  const meta = data.valuesApart
  if (!meta) return undefined
  const position = new Map<number, number>()
  let k = 0
  meta.at.forEach((d, n) => {
    k += d
    position.set(k, n)
  })
  const slot = new Map<number, number>()
  let v = 0
  data.indicators.value.forEach((d, i) => {
    v += d
    const n = position.get(v)
    if (n !== undefined) slot.set(i, n)
  })
  return { meta, slot, words: new Set(meta.words), chars: new Set(meta.chars) }
}

/** Fills in the values shipped apart (`/search-values.json`); throws when they belong to another build. */
export function addValues(s: LoadedSearch, payload: SearchValues): void {
  const p = s.pending
  if (!p || p.loaded) return
  if (payload.version !== SEARCH_DATA_VERSION || payload.values.length !== p.meta.at.length) {
    throw new Error("the search values do not match the search index: rebuild the site")
  }
  const added: number[] = []
  for (const [i, n] of [...p.slot].sort((a, b) => a[0] - b[0])) {
    const ind = s.data.indicators[i]
    const value = payload.values[n] ?? ""
    if (!ind) continue
    ind[2] = value
    const lower = value.toLowerCase()
    s.indicatorValues[i] = lower
    const list = s.indicatorsByValue.get(lower)
    if (list) list.push(i)
    else s.indicatorsByValue.set(lower, [i])
    added.push(i)
  }
  addIndicatorSource(s.terms, added, s.data.indicators, s.indicatorRules)
  // Tables and texts made before held the values empty.
  s.lookups = {}
  s.docs = []
  p.loaded = true
}

/**
 * Whether `query` can match a value shipped apart that is not loaded yet: a term all of whose
 * characters they hold and whose longest word starts one of their words (or is hexadecimal), an
 * `indicator:` filter of their characters only, a `field:` filter on their fields. With
 * `nothingFound` (the query matched nothing), also a word the typo fallback could correct into
 * one of theirs: at most one character away from their characters.
 */
export function queryNeedsValues(s: LoadedSearch, query: string, nothingFound = false): boolean {
  const p = s.pending
  if (!p || p.loaded) return false
  const { filters, terms } = parseQuery(query)
  const outside = (text: string) => [...text].filter((c) => !p.chars.has(c)).length
  if (filters.some((f) => f.key === "field" && p.meta.fields.includes(f.value.toLowerCase()))) return true
  if (filters.some((f) => f.key === "indicator" && outside(f.value.toLowerCase()) === 0)) return true
  return terms.some((term) => {
    const folded = foldText(term)
    const tokens = words(term)
    if (tokens.length === 0 || term.length < 2) return false
    if (nothingFound && folded.length >= FUZZY_MIN && outside(folded) <= 1) return true
    if (outside(folded) > 0) return false
    const key = tokens.reduce((a, b) => (b.length > a.length ? b : a))
    if (/^[0-9a-f]+$/.test(key)) return true
    for (const w of p.words) if (w.startsWith(key)) return true
    return false
  })
}

/** Fills in the ids shipped apart (`/search-ids.json`); throws when they belong to another build. */
export function addIds(s: LoadedSearch, ids: SearchIds): void {
  if (ids.version !== SEARCH_DATA_VERSION || ids.ids.length !== s.data.rules.length) {
    throw new Error("the search ids do not match the search index: rebuild the site")
  }
  ids.ids.forEach((id, r) => {
    const rule = s.data.rules[r]
    if (rule) rule.id = id
  })
  // Texts made before held empty ids.
  s.docs = []
  s.hasIds = true
}

/** Shortest term that can match an id: ids are matched from their start, never on a fragment. */
export const ID_TERM_MIN = 8

/**
 * Whether `query` can match a rule id: an `id:` filter, or a term of ID_TERM_MIN or more
 * characters that can begin an id (only UUID ids are shipped apart).
 */
export function queryNeedsIds(query: string): boolean {
  const { filters, terms } = parseQuery(query)
  return filters.some((f) => f.key === "id") || terms.some((t) => /^[0-9a-f]{8}/i.test(t))
}
