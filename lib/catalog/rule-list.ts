/**
 * The rule list every list page shares (/rules/, technique, tactic, data source, story and macro
 * pages): the compact rows written at build time, and the pure filtering, facet counting, sorting,
 * paging, URL state and export behind the list's island.
 *
 * Owns: the wire format of `/rule-list.json` (and of the rows a short list carries inline), the
 * facets and their meaning, a page's scope (which rules a page lists), CSV/JSON export.
 * Invariants: pure; deterministic order (ties broken by name, then format and slug); the wire
 * format stores each facet value once and rows refer to it by number.
 * Never imports: React, Next, Node built-ins.
 */
import { rulePath } from "./views.ts"
import type { Detection } from "./types.ts"

/** The facets a list filters on, in display order. */
export const RULE_FACETS = ["format", "purpose", "type", "level", "status", "tactic", "source", "platform"] as const
export type RuleFacet = (typeof RULE_FACETS)[number]

export const FACET_LABELS: Record<RuleFacet, string> = {
  format: "Format",
  purpose: "What a match does",
  type: "Type in its format",
  level: "Level",
  status: "Status",
  tactic: "Tactic",
  source: "Data source",
  platform: "Platform",
}

/**
 * What a match of the rule does, in words that hold across formats. Each format's own type says
 * something different: Splunk's and Sigma's say what the rule is for (TTP, Anomaly, Hunting,
 * Detection), Elastic's which kind of query it runs (EQL, Query, ES|QL, New terms), with a
 * separate building-block flag. Read together:
 * - `alert`: raises an alert on its own (Splunk TTP, Sigma Detection and Emerging threat, every
 *   Elastic rule that is not a building block);
 * - `signal`: records a finding other rules build on and does not alert alone (Splunk Anomaly,
 *   which adds risk without a notable; Elastic building blocks, hidden from the alerts view);
 * - `hunting`: a search to run by hand (Splunk and Sigma Hunting);
 * - `correlation`: fires on what other rules found or on counts of events (Splunk and Sigma
 *   Correlation).
 */
export const PURPOSES = ["alert", "signal", "hunting", "correlation"] as const
export type Purpose = (typeof PURPOSES)[number]

export const PURPOSE_LABELS: Record<Purpose, string> = {
  alert: "Alerts",
  signal: "Feeds other rules",
  hunting: "Hunting",
  correlation: "Correlation",
}

/** The purpose of a rule from its format's type (see PURPOSES; the type names do not clash across formats). */
export function purposeOf(type: string): Purpose {
  const t = type.toLowerCase()
  if (t === "hunting") return "hunting"
  if (t === "correlation") return "correlation"
  if (t === "anomaly" || t.endsWith("(building block)")) return "signal"
  return "alert"
}

/** One rule as a list shows it. */
export interface RuleRow {
  format: string
  slug: string
  name: string
  type: string
  /** Sigma `level`, or the severity a Splunk rule's risk score gives; "" when neither. */
  level: string
  status: string
  /** Last change (else creation), ISO date; "" when unknown. */
  date: string
  techniques: string[]
  /** Tactic shortnames. */
  tactics: string[]
  /** Data source names as the rule names them. */
  sources: string[]
  /** Sigma `logsource.product`, else the Splunk rule's security domain; "" when neither. */
  platform: string
  stories: string[]
  macros: string[]
}

/** Which rules a page lists; every key given must hold. */
export interface RuleScope {
  /** A technique id: rules mapping it or one of its sub-techniques. */
  technique?: string
  tactic?: string
  source?: string
  story?: string
  macro?: string
}

/** What is written to `/rule-list.json`: value tables, then one array per rule. */
export interface RuleListWire {
  values: {
    format: string[]
    type: string[]
    level: string[]
    status: string[]
    tactic: string[]
    source: string[]
    platform: string[]
    story: string[]
    macro: string[]
  }
  /** [name, slug, format, type, level, status, date, techniques, tactics[], sources[], platform, stories[], macros[]]; numbers index `values`. */
  rows: Array<
    [string, string, number, number, number, number, string, string[], number[], number[], number, number[], number[]]
  >
}

export function ruleRow(d: Detection): RuleRow {
  return {
    format: d.format,
    slug: d.slug,
    name: d.name,
    type: d.type,
    level: d.risk.severity ?? "",
    status: d.status,
    date: d.modified ?? d.created ?? "",
    techniques: d.attack.map((a) => a.id),
    tactics: [...new Set(d.attack.flatMap((a) => a.tactics))],
    sources: d.dataSources,
    platform: d.platform ?? d.securityDomain ?? "",
    stories: d.stories,
    macros: d.macros,
  }
}

/** Encodes rows for the wire: each distinct value of a facet is written once. */
export function encodeRows(rows: readonly RuleRow[]): RuleListWire {
  const tables = {
    format: new Map<string, number>(),
    type: new Map<string, number>(),
    level: new Map<string, number>(),
    status: new Map<string, number>(),
    tactic: new Map<string, number>(),
    source: new Map<string, number>(),
    platform: new Map<string, number>(),
    story: new Map<string, number>(),
    macro: new Map<string, number>(),
  }
  const at = (t: Map<string, number>, v: string) => {
    let i = t.get(v)
    if (i === undefined) t.set(v, (i = t.size))
    return i
  }
  const out: RuleListWire["rows"] = rows.map((r) => [
    r.name,
    r.slug,
    at(tables.format, r.format),
    at(tables.type, r.type),
    at(tables.level, r.level),
    at(tables.status, r.status),
    r.date,
    r.techniques,
    r.tactics.map((v) => at(tables.tactic, v)),
    r.sources.map((v) => at(tables.source, v)),
    at(tables.platform, r.platform),
    r.stories.map((v) => at(tables.story, v)),
    r.macros.map((v) => at(tables.macro, v)),
  ])
  const values = Object.fromEntries(
    Object.entries(tables).map(([k, t]) => [k, [...t.keys()]]),
  ) as RuleListWire["values"]
  return { values, rows: out }
}

/** Decodes the wire format; a row naming a value the tables lack gets "". */
export function decodeRows(wire: RuleListWire): RuleRow[] {
  const v = wire.values
  const one = (t: string[], i: number) => t[i] ?? ""
  return wire.rows.map(
    ([name, slug, format, type, level, status, date, techniques, tactics, sources, platform, stories, macros]) => ({
      format: one(v.format, format),
      slug,
      name,
      type: one(v.type, type),
      level: one(v.level, level),
      status: one(v.status, status),
      date,
      techniques,
      tactics: tactics.map((i) => one(v.tactic, i)),
      sources: sources.map((i) => one(v.source, i)),
      platform: one(v.platform, platform),
      stories: stories.map((i) => one(v.story, i)),
      macros: macros.map((i) => one(v.macro, i)),
    }),
  )
}

/** True when the row belongs to the page's scope. */
export function inScope(r: RuleRow, s: RuleScope): boolean {
  if (s.technique) {
    const id = s.technique.toUpperCase()
    if (!r.techniques.some((t) => t === id || t.startsWith(`${id}.`))) return false
  }
  if (s.tactic && !r.tactics.includes(s.tactic)) return false
  if (s.source && !r.sources.includes(s.source)) return false
  if (s.story && !r.stories.includes(s.story)) return false
  if (s.macro && !r.macros.includes(s.macro)) return false
  return true
}

/** A row's values for one facet (several for tactics and data sources; none for an empty value). */
export function facetValuesOf(r: RuleRow, f: RuleFacet): string[] {
  switch (f) {
    case "tactic":
      return r.tactics
    case "source":
      return r.sources
    case "purpose":
      return [purposeOf(r.type)]
    default: {
      const v = r[f]
      return v ? [v] : []
    }
  }
}

export const RULE_SORTS = ["name", "date", "format", "type", "level"] as const
export type RuleSort = (typeof RULE_SORTS)[number]
export const SORT_LABELS: Record<RuleSort, string> = {
  name: "name",
  date: "last change",
  format: "format",
  type: "type",
  level: "level",
}

/** What the reader chose; lives in the URL (see `queryFromParams`). */
export interface RuleQuery {
  /** Case-insensitive substring of the name, or a technique id prefix. */
  q: string
  filters: Partial<Record<RuleFacet, string>>
  sort: RuleSort
  /** 1-based. */
  page: number
}

export const PAGE_SIZE = 50

/** URL query parameters of a list's state; unknown or malformed ones are ignored. */
export function queryFromParams(params: Readonly<Record<string, string | undefined>>): RuleQuery {
  const filters: RuleQuery["filters"] = {}
  for (const f of RULE_FACETS) if (params[f]) filters[f] = params[f]
  const sort = RULE_SORTS.find((s) => s === params.sort) ?? "name"
  const page = Math.max(1, Math.floor(Number(params.page)) || 1)
  return { q: params.q ?? "", filters, sort, page }
}

/** The URL parameters for a state (defaults left out, so a plain list has a plain address). */
export function paramsFromQuery(q: RuleQuery): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {
    q: q.q || undefined,
    sort: q.sort === "name" ? undefined : q.sort,
    page: q.page > 1 ? String(q.page) : undefined,
  }
  for (const f of RULE_FACETS) out[f] = q.filters[f] || undefined
  return out
}

function matches(r: RuleRow, q: RuleQuery, skip?: RuleFacet): boolean {
  for (const f of RULE_FACETS) {
    const want = q.filters[f]
    if (!want || f === skip) continue
    if (!facetValuesOf(r, f).includes(want)) return false
  }
  const text = q.q.trim().toLowerCase()
  if (!text) return true
  return r.name.toLowerCase().includes(text) || r.techniques.some((t) => t.toLowerCase().startsWith(text))
}

export function filterRows(rows: readonly RuleRow[], q: RuleQuery): RuleRow[] {
  return rows.filter((r) => matches(r, q))
}

export interface FacetCount {
  value: string
  count: number
}

/**
 * For each facet, its values with how many rows each would leave, counted over the rows every
 * other filter keeps (so a chosen value still shows its siblings' counts). Most frequent first;
 * a chosen value is kept even at zero.
 */
export function facetCounts(rows: readonly RuleRow[], q: RuleQuery): Record<RuleFacet, FacetCount[]> {
  const out = {} as Record<RuleFacet, FacetCount[]>
  for (const f of RULE_FACETS) {
    const counts = new Map<string, number>()
    for (const r of rows) {
      if (!matches(r, q, f)) continue
      for (const v of new Set(facetValuesOf(r, f))) counts.set(v, (counts.get(v) ?? 0) + 1)
    }
    const chosen = q.filters[f]
    if (chosen && !counts.has(chosen)) counts.set(chosen, 0)
    out[f] = [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  }
  return out
}

const LEVEL_ORDER = ["critical", "high", "medium", "low", "informational"]

export function sortRows(rows: readonly RuleRow[], sort: RuleSort): RuleRow[] {
  const byName = (a: RuleRow, b: RuleRow) =>
    a.name.localeCompare(b.name) || a.format.localeCompare(b.format) || a.slug.localeCompare(b.slug)
  const rank = (l: string) => {
    const i = LEVEL_ORDER.indexOf(l.toLowerCase())
    return i < 0 ? LEVEL_ORDER.length : i
  }
  const cmp: Record<RuleSort, (a: RuleRow, b: RuleRow) => number> = {
    name: byName,
    date: (a, b) => b.date.localeCompare(a.date) || byName(a, b),
    format: (a, b) => a.format.localeCompare(b.format) || byName(a, b),
    type: (a, b) => a.type.localeCompare(b.type) || byName(a, b),
    level: (a, b) => rank(a.level) - rank(b.level) || byName(a, b),
  }
  return [...rows].sort(cmp[sort])
}

/** One page of rows and the page number actually shown (a page past the end shows the last). */
export function pageOf<T>(
  rows: readonly T[],
  page: number,
  size = PAGE_SIZE,
): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size))
  const p = Math.min(Math.max(1, page), pages)
  return { rows: rows.slice((p - 1) * size, p * size), page: p, pages }
}

/** Export columns, in order. */
const EXPORT_COLUMNS = [
  "name",
  "format",
  "type",
  "level",
  "status",
  "date",
  "techniques",
  "tactics",
  "data_sources",
  "platform",
  "url",
] as const

function exportRecord(r: RuleRow, origin: string): Record<(typeof EXPORT_COLUMNS)[number], string | string[]> {
  return {
    name: r.name,
    format: r.format,
    type: r.type,
    level: r.level,
    status: r.status,
    date: r.date,
    techniques: r.techniques,
    tactics: r.tactics,
    data_sources: r.sources,
    platform: r.platform,
    url: `${origin}${rulePath({ format: r.format as Detection["format"], slug: r.slug })}`,
  }
}

/**
 * A CSV cell: quoted, quotes doubled; a value a spreadsheet would read as a formula (starting with
 * = + - @, tab or carriage return) gets a leading apostrophe, since rule names are untrusted text.
 */
function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return `"${safe.replace(/"/g, '""')}"`
}

/** The rows as CSV (RFC 4180, CRLF line ends); list values joined with "; ". `origin` prefixes the rule URLs. */
export function rowsToCsv(rows: readonly RuleRow[], origin: string): string {
  const lines = [EXPORT_COLUMNS.join(",")]
  for (const r of rows) {
    const rec = exportRecord(r, origin)
    lines.push(EXPORT_COLUMNS.map((c) => csvCell(Array.isArray(rec[c]) ? rec[c].join("; ") : rec[c])).join(","))
  }
  return `${lines.join("\r\n")}\r\n`
}

/** The rows as a JSON array of objects (lists kept as arrays). */
export function rowsToJson(rows: readonly RuleRow[], origin: string): string {
  return `${JSON.stringify(
    rows.map((r) => exportRecord(r, origin)),
    null,
    1,
  )}\n`
}

/** The export's file name: the page's name and the filters, made file-safe. */
export function exportFileName(base: string, q: RuleQuery, ext: "csv" | "json"): string {
  const parts = [
    base,
    ...RULE_FACETS.flatMap((f) => (q.filters[f] ? [`${f}-${q.filters[f]}`] : [])),
    ...(q.q ? [q.q] : []),
  ]
  const stem = parts
    .join("_")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-+/g, "-")
    .slice(0, 120)
  return `${stem || "rules"}.${ext}`
}
