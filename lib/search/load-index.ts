/**
 * Turns a `/search-index.json` payload back into a searchable index: imports the FlexSearch
 * export into a Document from the shared factory and derives the lookup tables queries need.
 *
 * Owns: `LoadedSearch`, the in-memory form the search engine (run.ts) reads.
 * Invariants: derived tables are rebuilt from the records, never shipped, so the payload keeps
 * each fact once. Pure: the caller fetches the payload.
 * Never imports: React, Next, Node built-ins.
 */
import type { SearchData } from "./build-index.ts"
import { SEARCH_DATA_VERSION } from "./build-index.ts"
import { createSearchIndex, searchDoc, type SearchDoc, type SearchIndex } from "./create-index.ts"
import { FACET_KEYS, type FacetKey } from "./query.ts"
import type { SearchRule } from "./records.ts"

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

export interface LoadedSearch {
  data: SearchData
  index: SearchIndex
  /** Per rule, the indexed text of each field, lower-cased: verifies literal terms and finds snippets. */
  docs: SearchDoc[]
  /** Same texts as written, for snippets. */
  rawDocs: SearchDoc[]
  /** Per indicator, the rules carrying it, ascending. */
  indicatorRules: number[][]
  /** Per indicator, its value lower-cased. */
  indicatorValues: string[]
  /** Per rule, its position in name order: ties in ranking are broken by name without comparing strings. */
  nameOrder: Int32Array
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

/** The searchable form of a payload; throws on a payload of another version. */
export function loadSearchIndex(data: SearchData): LoadedSearch {
  if (data.version !== SEARCH_DATA_VERSION) {
    throw new Error(`search index version ${data.version}, expected ${SEARCH_DATA_VERSION}: rebuild the site`)
  }
  const index = createSearchIndex()
  for (const [key, value] of data.index) index.import(key, value)
  const rawDocs = data.rules.map((_, r) => searchDoc(data, r))
  const indicatorRules: number[][] = data.indicators.map(() => [])
  data.rules.forEach((rule, r) => {
    for (const i of rule.indicators) indicatorRules[i]?.push(r)
  })
  const nameOrder = new Int32Array(data.rules.length)
  data.rules
    .map((rule, r) => [rule.name.toLowerCase(), r] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
    .forEach(([, r], i) => (nameOrder[r] = i))
  return {
    data,
    nameOrder,
    facets: Object.fromEntries(FACET_KEYS.map((k) => [k, facetTable(data.rules, k)])) as Record<FacetKey, FacetTable>,
    index,
    docs: rawDocs.map(lowerDoc),
    rawDocs,
    indicatorRules,
    indicatorValues: data.indicators.map((i) => i[2].toLowerCase()),
  }
}
