/**
 * The search box's syntax: `key:value` filters (technique:T1047, indicator:winrs.exe,
 * field:process_name, type:ttp, tactic:lateral-movement, source:sysmon, …) and free text.
 *
 * Owns: the filter keys and their aliases, tokenising with double quotes ("cmd.exe /c"), and the
 * facet selection's URL form.
 * Invariants: pure; an unknown `key:` (such as the drive in `C:\Windows`) is free text, never an
 * error; values keep their case (matching decides how to compare).
 * Never imports: React, Next, Node built-ins.
 */

/** Filter keys the syntax knows, each with the words that name it. */
export const FILTER_KEYS = {
  technique: ["technique", "tech", "attack"],
  indicator: ["indicator", "ioc", "value"],
  field: ["field"],
  type: ["type"],
  tactic: ["tactic"],
  source: ["source", "datasource", "ds"],
  status: ["status"],
  format: ["format"],
  domain: ["domain"],
  macro: ["macro"],
  story: ["story"],
  author: ["author"],
  id: ["id"],
} as const

export type FilterKey = keyof typeof FILTER_KEYS

const KEY_BY_WORD = new Map<string, FilterKey>(
  (Object.entries(FILTER_KEYS) as Array<[FilterKey, readonly string[]]>).flatMap(([key, words]) =>
    words.map((w) => [w, key] as const),
  ),
)

export interface QueryFilter {
  key: FilterKey
  /** The value as typed, quotes removed. */
  value: string
}

export interface ParsedQuery {
  filters: QueryFilter[]
  /** Free-text terms as typed, quotes removed; every term must match (AND). */
  terms: string[]
}

/** Whitespace-separated tokens; double quotes group (`indicator:"cmd.exe /c"`), and are dropped. */
function tokens(query: string): string[] {
  const out: string[] = []
  const re = /(?:[^\s"]+|"[^"]*"?)+/g
  for (const m of query.matchAll(re)) {
    const t = m[0].replace(/"/g, "")
    if (t) out.push(t)
  }
  return out
}

export function parseQuery(query: string): ParsedQuery {
  const filters: QueryFilter[] = []
  const terms: string[] = []
  for (const token of tokens(query)) {
    const colon = token.indexOf(":")
    const key = colon > 0 ? KEY_BY_WORD.get(token.slice(0, colon).toLowerCase()) : undefined
    const value = colon > 0 ? token.slice(colon + 1) : ""
    if (key && value) filters.push({ key, value })
    else if (!key) terms.push(token)
  }
  return { filters, terms }
}

/**
 * Whether exact indicator entries go above the rules: for an `indicator:` filter and for a value
 * with punctuation (`winrs.exe`, `-enc`), which is what indicator values look like; a bare word
 * (`wmic`) is first a question about rules.
 */
export function indicatorsFirst(query: string): boolean {
  const { filters, terms } = parseQuery(query)
  if (filters.some((f) => f.key === "indicator" || f.key === "field")) return true
  return filters.length === 0 && terms.length === 1 && /[^\p{L}\p{N}]/u.test(terms[0] ?? "")
}

/** Facets shown beside the results; each is also a URL parameter of /search/. */
export const FACET_KEYS = ["format", "type", "status", "tactic", "source", "domain"] as const

export type FacetKey = (typeof FACET_KEYS)[number]

/** Selected values per facet: a rule passes a facet when it has any selected value (OR), and
 * must pass every facet with a selection (AND). */
export type FacetSelection = Partial<Record<FacetKey, string[]>>

/** The facet selection from URL parameters, one parameter per value (`type=ttp&type=anomaly`). */
export function facetsFromParams(params: URLSearchParams): FacetSelection {
  const out: FacetSelection = {}
  for (const key of FACET_KEYS) {
    const values = params.getAll(key).filter(Boolean)
    if (values.length > 0) out[key] = values
  }
  return out
}

/** The URL query of a search: `q` then each selected facet value. */
export function searchParams(query: string, facets: FacetSelection): URLSearchParams {
  const params = new URLSearchParams()
  if (query.trim()) params.set("q", query)
  for (const key of FACET_KEYS) for (const v of facets[key] ?? []) params.append(key, v)
  return params
}
