import Link from "next/link"

import type { IndicatorRow } from "@/lib/catalog/indicators"
import { indicatorPath } from "@/lib/catalog/indicators"
import { Table, Th } from "@/components/ui/table"

/**
 * Field | Kind | Value | Corpus count (other rules with the same indicator); values link to
 * /indicators/. Cells are styled by `.ind-table` in app/globals.css: some rules have hundreds of rows.
 */
export function IndicatorsTable({ rows }: { rows: IndicatorRow[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">No literal indicator: this search tests no field against a fixed value.</p>
  return (
    <Table data-testid="indicators-table" className="ind-table">
      <caption className="pb-2 text-left text-xs text-slate-600">Corpus count: how many other rules in the catalog test the same field, kind and value (case-insensitive).</caption>
      <thead>
        <tr>
          <Th>Field</Th>
          <Th>Kind</Th>
          <Th>Value</Th>
          <Th className="text-right">Corpus count</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <td>{r.field}</td>
            <td>{r.kind}</td>
            <td>
              <Link href={indicatorPath(r)} prefetch={false}>{r.value === "" ? "(any value)" : r.value}</Link>
            </td>
            <td>{r.corpusCount}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  )
}
