/**
 * Pure filtering, sorting and lookup over the indicator table shipped as `/indicators.json`, for
 * the client-side indicators page.
 *
 * Owns: the JSON shape of that table, the list filters (field, kind, value text), the sort
 * orders and how URL parameters select one indicator.
 * Invariants: pure; inputs are never mutated; lookups compare values case-insensitively, as the
 * corpus counts do (indicators.ts).
 * Never imports: React, Next, Node built-ins.
 */
import { canonical, keyOf } from "./indicators.ts"

/** `/indicators.json`: every rule once, and every indicator with the indexes of its rules. */
export interface IndicatorData {
  rules: Array<{ name: string; slug: string; format: string }>
  rows: IndicatorJsonRow[]
}

export interface IndicatorJsonRow {
  /** What the indicator is about: a meaning id (`process-name`) or, unmapped, the event field. */
  field: string
  /** The event fields rules test it on (`Image`, `process_name`); absent when it is the field itself. */
  fields?: string[]
  /** Kind, `not-`-prefixed when negated. */
  kind: string
  value: string
  /** Indexes into `IndicatorData.rules`. */
  rules: number[]
}

export interface IndicatorFilter {
  /** Exact field name; empty for all. */
  field: string
  /** Exact kind; empty for all. */
  kind: string
  /** Case-insensitive substring of the value. */
  q: string
}

export type IndicatorSort = "count" | "field" | "value"

export const INDICATOR_SORTS: IndicatorSort[] = ["count", "field", "value"]

export function filterIndicators(rows: IndicatorJsonRow[], f: IndicatorFilter): IndicatorJsonRow[] {
  const q = f.q.trim().toLowerCase()
  return rows.filter(
    (r) =>
      (!f.field || r.field === f.field) && (!f.kind || r.kind === f.kind) && (!q || r.value.toLowerCase().includes(q)),
  )
}

/** `count`: most shared first; ties and the other orders fall back to field, kind, value. */
export function sortIndicators(rows: IndicatorJsonRow[], sort: IndicatorSort): IndicatorJsonRow[] {
  const byText = (a: IndicatorJsonRow, b: IndicatorJsonRow) =>
    a.field.localeCompare(b.field) || a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value)
  const copy = [...rows]
  if (sort === "count") return copy.sort((a, b) => b.rules.length - a.rules.length || byText(a, b))
  if (sort === "value")
    return copy.sort((a, b) => a.value.toLowerCase().localeCompare(b.value.toLowerCase()) || byText(a, b))
  return copy.sort(byText)
}

/** Distinct values of `field` or `kind` with how many indicators have each, most first. */
export function indicatorFacet(rows: IndicatorJsonRow[], by: "field" | "kind"): Array<{ key: string; count: number }> {
  const m = new Map<string, number>()
  for (const r of rows) m.set(r[by], (m.get(r[by]) ?? 0) + 1)
  return [...m.entries()]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
}

/** Which indicator the URL names: `field`, `kind` and `value`, or `key=field|kind|value`. */
export function selectedIndicator(params: {
  key?: string
  field?: string
  kind?: string
  value?: string
}): { field: string; kind: string; value: string } | undefined {
  if (params.key) {
    const a = params.key.indexOf("|")
    const b = a < 0 ? -1 : params.key.indexOf("|", a + 1)
    if (b < 0) return undefined
    return { field: params.key.slice(0, a), kind: params.key.slice(a + 1, b), value: params.key.slice(b + 1) }
  }
  if (params.field === undefined || params.kind === undefined || params.value === undefined) return undefined
  return { field: params.field, kind: params.kind, value: params.value }
}

/**
 * The row for an indicator, values compared case-insensitively. A selection by raw field (the
 * search's `process_name`, `Image endswith \\wmic.exe`) finds the row of its meaning.
 */
export function findIndicator(
  rows: IndicatorJsonRow[],
  sel: { field: string; kind: string; value: string },
): IndicatorJsonRow | undefined {
  const key = keyOf(sel.field, sel.kind, sel.value)
  const negated = sel.kind.startsWith("not-")
  const c = canonical({ field: sel.field, kind: negated ? sel.kind.slice(4) : sel.kind, value: sel.value })
  const byMeaning = keyOf(c.field, `${negated ? "not-" : ""}${c.kind}`, c.value)
  return (
    rows.find((r) => keyOf(r.field, r.kind, r.value) === key) ??
    rows.find((r) => keyOf(r.field, r.kind, r.value) === byMeaning)
  )
}
