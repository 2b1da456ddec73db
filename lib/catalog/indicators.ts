/**
 * Indicators with corpus counts across formats: for every rule, what its predicate tests, by
 * meaning (process name, command line, parent name…) rather than by field name, and for the
 * whole catalog which rules of which format share each.
 *
 * Owns: the catalog-wide indicator table, the per-rule rows with their corpus count, the rule's
 * log source (tests on the fields that say which log an event came from), and the URL form of an
 * indicator (`/indicators/?field=<meaning>&kind=…&value=…`).
 * Invariants: pure, built once per catalog.
 * - The meaning of a field comes from the mapping tables of lib/events/mappings.ts (CIM, Sysmon,
 *   Security 4688, Sigma and any schema a format adds there); a field missing there is its own
 *   meaning. The raw fields stay beside the meaning.
 * - A path test `endswith \name` (Sigma `Image|endswith: '\wmic.exe'`, SPL
 *   `process_path=*\wmic.exe`) is a test of the name: `process name = wmic.exe`.
 * - Two indicators are the same when meaning, kind (negated ones prefixed `not-`) and value
 *   (compared case-insensitively) agree. A rule counts once per indicator however often it
 *   tests it; a modifier's expansions (windash, base64offset) count as the value written.
 * - Presence tests (`f=*`, `f : *`, `isnotnull(f)`) are not indicators: they name no value.
 * - Tests on log-source fields (Channel, EventID, source, sourcetype, index, ECS event.category,
 *   event.outcome, host.os.type…; lib/events/mappings.ts says why each) are the rule's log
 *   source, not indicators.
 * - A rule's corpus count is the number of OTHER rules carrying the indicator. Rule references
 *   are indexes into the `detections` array given.
 * Never imports: React, Next, Node built-ins.
 */
import { FIELD_MEANING, isLogSourceTest, MEANINGS } from "../events/mappings.ts"
import { indicators } from "../predicate/indicators.ts"
import type { IndicatorData } from "./indicator-filter.ts"
import type { Detection } from "./types.ts"

/** One indicator of the catalog and the rules that carry it. */
export interface IndicatorEntry {
  /** Normalisation key (`keyOf`). */
  key: string
  /** The meaning id (`process-name`), or the raw field when no mapping names it. */
  field: string
  /** Every raw field rules test it on (`Image`, `process_name`), in order of first use. */
  fields: string[]
  /** Indicator kind (`eq`, `contains`, …), prefixed `not-` when the rule excludes the value. */
  kind: string
  /** The value as first written in the catalog (the key ignores case). */
  value: string
  /** Indexes of the rules carrying it, ascending, each once. */
  rules: number[]
  /** How many of those rules each format has. */
  byFormat: Record<string, number>
}

/** One row of a rule's Indicators table. */
export interface IndicatorRow {
  key: string
  /** The meaning id, as in IndicatorEntry. */
  field: string
  /** The raw field this rule tests. */
  raw: string
  kind: string
  /** The value as this rule writes it. */
  value: string
  /** How many other rules of the catalog carry the same indicator. */
  corpusCount: number
  /** How many rules of each format carry it (this rule included). */
  byFormat: Record<string, number>
}

export interface IndicatorTable {
  /** Every indicator, in order of first appearance. */
  entries: IndicatorEntry[]
  byKey: Map<string, IndicatorEntry>
  /** Rows per rule index, in the order the rule's predicate tests them. */
  byRule: IndicatorRow[][]
  /** Per rule index: its log-source tests (`Channel=Security`, `sourcetype=xmlwineventlog`), each once. */
  logSources: string[][]
  /**
   * The same tests by raw field, as written (`Image endswith \wmic.exe`): what the search index's
   * `field:` and `indicator:` filters match. Entries in order of first appearance; per rule, the
   * indexes of its entries in predicate order.
   */
  raw: { entries: Array<{ field: string; kind: string; value: string }>; byRule: number[][] }
}

/** People's name for a meaning id (the id itself for a raw field). */
export function meaningLabel(id: string): string {
  return MEANINGS[id]?.label ?? id
}

/** The kind as shown and put in URLs: `not-` marks a negated indicator, the expanding modifier prefixes it. */
export function indicatorKind(i: { kind: string; negated: boolean; expansion?: string }): string {
  const expansion = i.expansion && i.expansion !== "windash" ? `${i.expansion}-` : ""
  return `${i.negated ? "not-" : ""}${expansion}${i.kind}`
}

/** The key of an indicator given as its meaning, kind (possibly `not-`-prefixed) and value. */
export function keyOf(field: string, kind: string, value: string): string {
  return `${field}\u0000${kind}\u0000${value.toLowerCase()}`
}

/** An indicator read by its meaning: a path's `endswith \name` becomes the name. */
export function canonical(i: { field: string; kind: string; value: string }): {
  field: string
  kind: string
  value: string
} {
  const meaning = FIELD_MEANING[i.field] ?? i.field
  const nameOf = MEANINGS[meaning]?.nameOf
  if (nameOf && i.kind === "endswith" && /^[\\/][^\\/*?]+$/.test(i.value))
    return { field: nameOf, kind: "eq", value: i.value.slice(1) }
  return { field: meaning, kind: i.kind, value: i.value }
}

type Triple = { key: string; field: string; raw: string; kind: string; value: string }

/** Deduplicated indicators of one rule in predicate order, and its log-source tests. */
function ruleTriples(d: Detection): { triples: Triple[]; logSource: string[] } {
  const predicate = d.analysis?.predicate
  if (!predicate) return { triples: [], logSource: [] }
  const seen = new Set<string>()
  const out: Triple[] = []
  const logSource: string[] = []
  for (const i of indicators(predicate)) {
    if (isLogSourceTest(i.field, i.value)) {
      const text = `${i.negated ? "NOT " : ""}${i.field}${i.kind === "eq" ? "=" : ` ${i.kind} `}${i.value}`
      if (!logSource.includes(text)) logSource.push(text)
      continue
    }
    // A field's presence (`process.executable : *`, `registry_value_data=*`) names no value to look
    // for: it is one of the rule's required fields (shown as such), not an indicator.
    if (i.kind === "exists") continue
    const c = canonical(i)
    const kind = indicatorKind({ kind: c.kind, negated: i.negated, ...(i.expansion ? { expansion: i.expansion } : {}) })
    const key = keyOf(c.field, kind, c.value)
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ key, field: c.field, raw: i.field, kind, value: c.value })
  }
  return { triples: out, logSource }
}

export function buildIndicatorTable(detections: Detection[]): IndicatorTable {
  const byKey = new Map<string, IndicatorEntry>()
  const entries: IndicatorEntry[] = []
  const perRule = detections.map(ruleTriples)
  perRule.forEach(({ triples }, r) => {
    const format = detections[r]?.format ?? ""
    for (const t of triples) {
      let e = byKey.get(t.key)
      if (!e) {
        e = { key: t.key, field: t.field, fields: [], kind: t.kind, value: t.value, rules: [], byFormat: {} }
        byKey.set(t.key, e)
        entries.push(e)
      }
      if (!e.fields.includes(t.raw)) e.fields.push(t.raw)
      e.rules.push(r)
      e.byFormat[format] = (e.byFormat[format] ?? 0) + 1
    }
  })
  const byRule = perRule.map(({ triples }) =>
    triples.map((t) => {
      const e = byKey.get(t.key)
      return { ...t, corpusCount: (e?.rules.length ?? 1) - 1, byFormat: { ...e?.byFormat } }
    }),
  )
  return { entries, byKey, byRule, logSources: perRule.map((p) => p.logSource), raw: rawTable(detections) }
}

/** Per raw field (see IndicatorTable.raw). */
function rawTable(detections: Detection[]): IndicatorTable["raw"] {
  const entries: IndicatorTable["raw"]["entries"] = []
  const at = new Map<string, number>()
  const byRule = detections.map((d) => {
    const mine: number[] = []
    const predicate = d.analysis?.predicate
    if (!predicate) return mine
    for (const i of indicators(predicate)) {
      const kind = indicatorKind(i)
      const key = keyOf(i.field, kind, i.value)
      let n = at.get(key)
      if (n === undefined) {
        n = entries.length
        entries.push({ field: i.field, kind, value: i.value })
        at.set(key, n)
      }
      if (!mine.includes(n)) mine.push(n)
    }
    return mine
  })
  return { entries, byRule }
}

/** Site path of an indicator's detail view (without the base path). */
export { indicatorPath } from "./paths.ts"

/** The compact table `/indicators.json` ships to the indicators page. */
export function indicatorData(table: IndicatorTable, detections: Detection[]): IndicatorData {
  return {
    rules: detections.map((d) => ({ name: d.name, slug: d.slug, format: d.format })),
    rows: table.entries.map((e) => ({
      field: e.field,
      fields: e.fields,
      kind: e.kind,
      value: e.value,
      rules: e.rules,
    })),
  }
}
