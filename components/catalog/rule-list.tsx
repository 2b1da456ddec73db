import { encodeRows, inScope, ruleRow, type RuleFacet, type RuleRow, type RuleScope } from "@/lib/catalog/rule-list"
import type { Detection } from "@/lib/catalog/types"
import { FORMAT_TESTERS } from "@/lib/formats/testers"
import type { CatalogIndex } from "@/lib/catalog/views"

import { RuleTable } from "./rule-table.client"

/** Lists up to this many rules carry their rows in the page; longer ones fetch /rule-list.json. */
const INLINE_MAX = 15

const cache = new WeakMap<CatalogIndex, { rows: RuleRow[]; byKey: Map<string, RuleRow> }>()

function rowsOf(index: CatalogIndex) {
  let c = cache.get(index)
  if (!c) {
    const rows = index.catalog.detections.map(ruleRow)
    cache.set(index, (c = { rows, byKey: new Map(rows.map((r) => [`${r.format}/${r.slug}`, r])) }))
  }
  return c
}

/** Format ids to their labels, for RuleTable (server side: the registry stays out of the browser bundle). */
export const FORMAT_LABELS: Record<string, string> = Object.fromEntries(FORMAT_TESTERS.map((f) => [f.id, f.label]))

/** Every rule's list row, in catalog order, built once per catalog. */
export function allRuleRows(index: CatalogIndex): RuleRow[] {
  return rowsOf(index).rows
}

/**
 * A page's rule list (the one list component of the site, see RuleTable). Short lists ship their
 * rows inline; long ones name a scope the island applies to /rule-list.json. A scope that would
 * not select exactly these rules falls back to inline rows, so a list never shows other rules.
 */
export function RuleList({
  index,
  rules,
  scope,
  exportName,
  hide,
  empty = "No rule in the catalog uses it.",
}: {
  index: CatalogIndex
  rules: Array<Pick<Detection, "format" | "slug">>
  scope?: RuleScope
  exportName: string
  hide?: RuleFacet[]
  empty?: string
}) {
  if (rules.length === 0) return <p className="text-sm text-slate-600">{empty}</p>
  const { rows: all, byKey } = rowsOf(index)
  const scoped = scope && rules.length > INLINE_MAX ? all.filter((r) => inScope(r, scope)).length : -1
  if (scope && scoped === rules.length)
    return (
      <RuleTable total={rules.length} scope={scope} exportName={exportName} hide={hide} formatLabels={FORMAT_LABELS} />
    )
  const rows = rules.flatMap((d) => byKey.get(`${d.format}/${d.slug}`) ?? [])
  return (
    <RuleTable
      total={rules.length}
      inline={encodeRows(rows)}
      exportName={exportName}
      hide={hide}
      formatLabels={FORMAT_LABELS}
    />
  )
}
