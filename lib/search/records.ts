/**
 * What the search ships per rule: the compact records `/search-index.json` carries beside the
 * FlexSearch export, used to filter, facet, rank and show snippets in the browser.
 *
 * Owns: the JSON shape of the search payload (`SearchData`) and its derivation from a catalog.
 * Invariants: format-agnostic (reads `Detection` fields only); rule numbers are positions in
 * `SearchData.rules` and double as FlexSearch document ids; indicators are shared catalog-wide
 * (rules hold indexes into `SearchData.indicators`), so a value is stored once however many rules
 * test it. Pure: no I/O.
 * Never imports: React, Next, Node built-ins.
 */
import type { IndicatorTable } from "../catalog/indicators.ts"
import type { Detection } from "../catalog/types.ts"

/** One rule as the search sees it. */
export interface SearchRule {
  /** Rule id (uuid as written). */
  id: string
  name: string
  format: Detection["format"]
  /** URL segment: the page is `/rules/<format>/<slug>/`. */
  slug: string
  type: string
  status: string
  /** Security domain; empty when the rule has none. */
  domain: string
  author: string
  /** File path, prefixed with its content root label. */
  path: string
  description: string
  /** ATT&CK technique ids, upper-case, as mapped. */
  techniques: string[]
  /** Tactic shortnames of those techniques, each once. */
  tactics: string[]
  dataSources: string[]
  macros: string[]
  stories: string[]
  /** Indexes into `SearchData.indicators`, in predicate order. */
  indicators: number[]
}

/** One indicator of the catalog: [field, kind, value] (kind `not-`-prefixed when negated). */
export type SearchIndicator = [field: string, kind: string, value: string]

/** The records half of `/search-index.json`. */
export interface SearchRecords {
  rules: SearchRule[]
  indicators: SearchIndicator[]
  /** Technique id → name, for every technique a rule maps to (names are searched and shown). */
  techniqueNames: Record<string, string>
}

/** Records for every detection; `table` is the catalog's indicator table over the same array. */
export function searchRecords(detections: Detection[], table: IndicatorTable): SearchRecords {
  const position = new Map(table.entries.map((e, i) => [e.key, i]))
  const techniqueNames: Record<string, string> = {}
  const rules = detections.map((d, r): SearchRule => {
    for (const a of d.attack) if (a.name) techniqueNames[a.id] = a.name
    return {
      id: d.id,
      name: d.name,
      format: d.format,
      slug: d.slug,
      type: d.type,
      status: d.status,
      domain: d.securityDomain ?? "",
      author: d.author,
      path: d.path,
      description: d.description,
      techniques: d.attack.map((a) => a.id),
      tactics: [...new Set(d.attack.flatMap((a) => a.tactics))],
      dataSources: d.dataSources,
      macros: d.macros,
      stories: d.stories,
      indicators: (table.byRule[r] ?? []).flatMap((row) => {
        const at = position.get(row.key)
        return at === undefined ? [] : [at]
      }),
    }
  })
  const indicators = table.entries.map((e): SearchIndicator => [e.field, e.kind, e.value])
  return { rules, indicators, techniqueNames }
}
