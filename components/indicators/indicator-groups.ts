/**
 * Indicators as a reader counts them: one row per meaning, kind and value, whatever the spaces
 * around the value. Rules write the same test with and without padding (`CommandLine|contains:
 * ' /node:'` beside `'/node:'`, `"curl "` beside `"curl"`): the padded spelling is a narrower test
 * of the same value, so it joins the value's row, its spellings listed beside it, instead of
 * splitting the value into rows a reader must add up. Pure.
 */
import { keyOf } from "@/lib/catalog/indicators"
import { findIndicator, type IndicatorJsonRow } from "@/lib/catalog/indicator-filter"

export interface IndicatorGroup extends IndicatorJsonRow {
  /** Every raw field rules test it on, in order of first use. */
  fields: string[]
  /** The spellings as rules write them, when more than one (`" /node:"`, `"/node:"`), each with its rule count. */
  variants: Array<{ value: string; rules: number }>
}

/** The group key: meaning, kind and the value without its surrounding spaces, ignoring case. */
export function groupKey(r: { field: string; kind: string; value: string }): string {
  return keyOf(r.field, r.kind, r.value.trim() || r.value)
}

export function groupIndicators(rows: readonly IndicatorJsonRow[]): IndicatorGroup[] {
  const byKey = new Map<string, { rows: IndicatorJsonRow[] }>()
  const order: string[] = []
  for (const r of rows) {
    const k = groupKey(r)
    const g = byKey.get(k)
    if (g) g.rows.push(r)
    else {
      byKey.set(k, { rows: [r] })
      order.push(k)
    }
  }
  return order.map((k) => {
    const members = byKey.get(k)!.rows
    const first = members[0]!
    if (members.length === 1) return { ...first, fields: first.fields ?? [first.field], variants: [] }
    const rules = [...new Set(members.flatMap((m) => m.rules))].sort((a, b) => a - b)
    const fields = [...new Set(members.flatMap((m) => m.fields ?? [m.field]))]
    // The row reads as the unpadded spelling when some rule writes it so, else the first one trimmed.
    const plain = members.find((m) => m.value.trim() === m.value) ?? first
    return {
      field: first.field,
      kind: first.kind,
      value: plain.value.trim() || plain.value,
      fields,
      rules,
      variants: members.map((m) => ({ value: m.value, rules: m.rules.length })),
    }
  })
}

/** The group an address names: by its key, else the group of the row it names (a raw field, a padded value). */
export function findGroup(
  groups: readonly IndicatorGroup[],
  rows: readonly IndicatorJsonRow[],
  sel: { field: string; kind: string; value: string },
): IndicatorGroup | undefined {
  const k = groupKey(sel)
  const direct = groups.find((g) => groupKey(g) === k)
  if (direct) return direct
  const row = findIndicator([...rows], sel)
  return row ? groups.find((g) => groupKey(g) === groupKey(row)) : undefined
}
