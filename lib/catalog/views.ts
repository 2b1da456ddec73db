/**
 * Lookup tables and derived views over a loaded catalog, shared by pages, the CLI and tests.
 *
 * Owns: the cross references (story → rules, data source → rules, macro → rules, indicator →
 * rules), the compact
 * rule summaries list pages receive as props, and the rows of the event coverage table.
 * Invariants: pure; built once per catalog; views never mutate the catalog.
 * Never imports: React, Next, Node built-ins.
 */
import { buildIndicatorTable, type IndicatorRow, type IndicatorTable } from "./indicators.ts"
import { rulePath } from "./paths.ts"
import type { Catalog, DataSource, Detection, EventCoverage, Macro, Story } from "./types.ts"

export interface CatalogIndex {
  catalog: Catalog
  /** Rules by `format/slug`. */
  ruleBySlug: Map<string, Detection>
  /** Rules by lower-cased id: one per format at most (ids are unique only within a format). */
  rulesById: Map<string, Detection[]>
  storyBySlug: Map<string, Story>
  storyByName: Map<string, Story>
  dataSourceBySlug: Map<string, DataSource>
  dataSourceByName: Map<string, DataSource>
  /** Every definition of a macro name (one per arity). */
  macrosByName: Map<string, Macro[]>
  rulesByStory: Map<string, Detection[]>
  rulesByDataSource: Map<string, Detection[]>
  rulesByMacro: Map<string, Detection[]>
  /** Indicators of every rule with corpus counts; rule numbers index `catalog.detections`. */
  indicators: IndicatorTable
  /** Position of each rule in `catalog.detections`. */
  rulePosition: Map<Detection, number>
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

export function indexCatalog(catalog: Catalog): CatalogIndex {
  const index: CatalogIndex = {
    catalog,
    ruleBySlug: new Map(catalog.detections.map((d) => [`${d.format}/${d.slug}`, d])),
    rulesById: new Map(),
    storyBySlug: new Map(catalog.stories.map((s) => [s.slug, s])),
    storyByName: new Map(catalog.stories.map((s) => [s.name, s])),
    dataSourceBySlug: new Map(catalog.dataSources.map((s) => [s.slug, s])),
    dataSourceByName: new Map(catalog.dataSources.map((s) => [s.name, s])),
    macrosByName: new Map(),
    rulesByStory: new Map(),
    rulesByDataSource: new Map(),
    rulesByMacro: new Map(),
    indicators: buildIndicatorTable(catalog.detections),
    rulePosition: new Map(catalog.detections.map((d, i) => [d, i])),
  }
  for (const m of catalog.macros) push(index.macrosByName, m.name, m)
  for (const d of catalog.detections) {
    push(index.rulesById, d.id.toLowerCase(), d)
    for (const s of d.stories) push(index.rulesByStory, s, d)
    for (const s of d.dataSources) push(index.rulesByDataSource, s, d)
    for (const m of d.macros) push(index.rulesByMacro, m, d)
  }
  return index
}

/** What a list page needs of a rule: small enough to ship thousands as props. */
export interface RuleSummary {
  format: Detection["format"]
  slug: string
  name: string
  type: string
  status: string
  domain: string
  techniques: string[]
  /** Last change, ISO date. */
  date: string
}

export function ruleSummary(d: Detection): RuleSummary {
  return {
    format: d.format,
    slug: d.slug,
    name: d.name,
    type: d.type,
    status: d.status,
    domain: d.securityDomain ?? "",
    techniques: d.attack.map((a) => a.id),
    date: d.modified ?? d.created ?? "",
  }
}

/** URL of a rule page, without the base path. */
export { rulePath }

/** True for the address of a rule page (plain HTML, outside Next's client router: see RuleLink). */
export { isRulePagePath } from "../formats/testers.ts"

/** Event coverage rows of a rule: one per data source, unresolved names kept and labelled. */
export function ruleEventCoverage(
  index: CatalogIndex,
  d: Detection,
): Array<EventCoverage & { resolved: boolean; slug?: string }> {
  if (d.eventCoverage) {
    // Rows the rule declares (Sigma's logsource table) link to a data source page when the catalog has one.
    return d.eventCoverage.map((row) => {
      const ds = index.dataSourceByName.get(row.dataSource)
      return ds ? { ...row, resolved: true, slug: ds.slug } : { ...row, resolved: true }
    })
  }
  return d.dataSources.map((name) => {
    const ds = index.dataSourceByName.get(name)
    if (ds) return { ...ds.coverage, resolved: true, slug: ds.slug }
    return {
      provider: name,
      event: "—",
      title: "no data source file defines this name",
      dataSource: name,
      resolved: false,
    }
  })
}

/** A rule's `related` entries, with name and page when the catalog holds the related rule. */
export function relatedRules(
  index: CatalogIndex,
  d: Detection,
): Array<{ id: string; type: string; name?: string; href?: string }> {
  return (d.related ?? []).map((r) => {
    // A related id names a rule of the same format when the catalog has one: another format's
    // rule may share the id (ids are unique only within a format).
    const holders = index.rulesById.get(r.id.toLowerCase()) ?? []
    const other = holders.find((x) => x.format === d.format) ?? (holders.length === 1 ? holders[0] : undefined)
    return other ? { ...r, name: other.name, href: rulePath(other) } : { ...r }
  })
}

/** A rule's Indicators table: field | kind | value | how many other rules share it. */
export function ruleIndicators(index: CatalogIndex, d: Detection): IndicatorRow[] {
  const at = index.rulePosition.get(d)
  return at === undefined ? [] : (index.indicators.byRule[at] ?? [])
}

/** A rule's log-source tests (`Channel=Security`, `sourcetype=xmlwineventlog`). */
export function ruleLogSource(index: CatalogIndex, d: Detection): string[] {
  const at = index.rulePosition.get(d)
  return at === undefined ? [] : (index.indicators.logSources[at] ?? [])
}

/** Macro page URL segment: the macro name itself when URL-safe, else percent-encoded. */
export function macroSlug(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) ? name : encodeURIComponent(name)
}

/**
 * Every macro name with a page: those macros/ defines, and those rules call without a definition
 * (a tuning `*_filter` macro only when defined: rule pages do not link the empty filters).
 */
export function linkedMacroNames(index: CatalogIndex): string[] {
  const names = new Set(index.macrosByName.keys())
  for (const name of index.rulesByMacro.keys()) if (!name.endsWith("_filter")) names.add(name)
  return [...names].sort()
}

/** A catalog path (`label/rel`) without its content root's label: how pages show a file. */
export function shownPath(roots: string[], path: string): string {
  const root = roots.filter((r) => path.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0]
  return root === undefined ? path : path.slice(root.length + 1)
}

/** Counts for the home page. */
export function catalogCounts(index: CatalogIndex) {
  const c = index.catalog
  const techniques = new Set(c.detections.flatMap((d) => d.attack.map((a) => a.id)))
  const byType = countBy(c.detections, (d) => d.type)
  const byFormat = countBy(c.detections, (d) => d.format)
  return {
    rules: c.detections.length,
    techniques: techniques.size,
    stories: c.stories.length,
    dataSources: c.dataSources.length,
    macros: c.macros.length,
    byType,
    byFormat,
  }
}

/** The `n` most recently changed rules (modified, else created date), newest first; undated rules last. */
export function latestRules(index: CatalogIndex, n: number): Detection[] {
  const date = (d: Detection): string => d.modified ?? d.created ?? ""
  return [...index.catalog.detections]
    .sort((a, b) => date(b).localeCompare(date(a)) || a.name.localeCompare(b.name))
    .slice(0, n)
}

export function countBy<T>(items: T[], key: (item: T) => string): Array<{ key: string; count: number }> {
  const m = new Map<string, number>()
  for (const item of items) m.set(key(item), (m.get(key(item)) ?? 0) + 1)
  return [...m.entries()]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
}
