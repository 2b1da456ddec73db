/**
 * Indicators with corpus counts: for every rule, the (field, kind, value) triples its predicate
 * tests, and for the whole catalog, which rules share each triple.
 *
 * Owns: the catalog-wide indicator table, the per-rule rows with their corpus count, and the
 * URL form of an indicator (`/indicators/?field=…&kind=…&value=…`).
 * Invariants: pure, built once per catalog. Two indicators are the same when field (case kept),
 * kind (negated ones prefixed `not-`) and value (compared case-insensitively) agree, which is
 * `indicatorKey` of lib/predicate. A rule counts once per indicator however often it tests it,
 * and a rule's corpus count is the number of OTHER rules carrying the indicator. Rule references
 * are indexes into the `detections` array given.
 * Never imports: React, Next, Node built-ins.
 */
import { indicatorKey, indicators, type IndicatorKind } from "../predicate/indicators.ts"
import type { IndicatorData } from "./indicator-filter.ts"
import type { Detection } from "./types.ts"

/** One indicator of the catalog and the rules that carry it. */
export interface IndicatorEntry {
  /** Normalisation key (`indicatorKey`). */
  key: string
  /** Event field, data-model prefix removed (`process_name`). */
  field: string
  /** Indicator kind (`eq`, `contains`, …), prefixed `not-` when the rule excludes the value. */
  kind: string
  /** The value as first written in the catalog (the key ignores case). */
  value: string
  /** Indexes of the rules carrying it, ascending, each once. */
  rules: number[]
}

/** One row of a rule's Indicators table. */
export interface IndicatorRow {
  key: string
  field: string
  kind: string
  /** The value as this rule writes it. */
  value: string
  /** How many other rules of the catalog carry the same indicator. */
  corpusCount: number
}

export interface IndicatorTable {
  /** Every indicator, in order of first appearance. */
  entries: IndicatorEntry[]
  byKey: Map<string, IndicatorEntry>
  /** Rows per rule index, in the order the rule's predicate tests them. */
  byRule: IndicatorRow[][]
}

/** The kind as shown and put in URLs: `not-` marks a negated indicator. */
export function indicatorKind(i: { kind: string; negated: boolean }): string {
  return `${i.negated ? "not-" : ""}${i.kind}`
}

/** The key of an indicator given as URL parts (kind possibly `not-`-prefixed). */
export function keyOf(field: string, kind: string, value: string): string {
  const negated = kind.startsWith("not-")
  return indicatorKey({ field, kind: (negated ? kind.slice(4) : kind) as IndicatorKind, value, negated })
}

/** Deduplicated indicators of one rule, in predicate order. */
function ruleTriples(d: Detection): Array<{ key: string; field: string; kind: string; value: string }> {
  const predicate = d.analysis?.predicate ?? d.sigma?.predicate
  if (!predicate) return []
  const seen = new Set<string>()
  const out: Array<{ key: string; field: string; kind: string; value: string }> = []
  for (const i of indicators(predicate)) {
    const key = indicatorKey(i)
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ key, field: i.field, kind: indicatorKind(i), value: i.value })
  }
  return out
}

export function buildIndicatorTable(detections: Detection[]): IndicatorTable {
  const byKey = new Map<string, IndicatorEntry>()
  const entries: IndicatorEntry[] = []
  const perRule = detections.map(ruleTriples)
  perRule.forEach((triples, r) => {
    for (const t of triples) {
      let e = byKey.get(t.key)
      if (!e) {
        e = { key: t.key, field: t.field, kind: t.kind, value: t.value, rules: [] }
        byKey.set(t.key, e)
        entries.push(e)
      }
      e.rules.push(r)
    }
  })
  const byRule = perRule.map((triples) =>
    triples.map((t) => ({ ...t, corpusCount: (byKey.get(t.key)?.rules.length ?? 1) - 1 })),
  )
  return { entries, byKey, byRule }
}

/** Site path of an indicator's detail view (without the base path). */
export function indicatorPath(i: { field: string; kind: string; value: string }): string {
  const q = new URLSearchParams({ field: i.field, kind: i.kind, value: i.value })
  return `/indicators/?${q.toString()}`
}

/** The compact table `/indicators.json` ships to the indicators page. */
export function indicatorData(table: IndicatorTable, detections: Detection[]): IndicatorData {
  return {
    rules: detections.map((d) => ({ name: d.name, slug: d.slug, format: d.format })),
    rows: table.entries.map((e) => ({ field: e.field, kind: e.kind, value: e.value, rules: e.rules })),
  }
}
