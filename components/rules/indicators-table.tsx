import Link from "next/link"

import type { IndicatorRow } from "@/lib/catalog/indicators"
import { indicatorPath, meaningLabel } from "@/lib/catalog/indicators"
import { formatLabel } from "@/lib/formats/testers"
import { Table, Th } from "@/components/ui/table"

/**
 * Meaning (raw field) | Kind | Value | Corpus count (other rules with the same indicator, whatever
 * their format, with the count per format); values link to /indicators/. The rule's log source
 * (its tests on Channel, EventID, source…) is a line above the table, not rows. Cells are styled
 * by `.ind-table` in app/globals.css: some rules have hundreds of rows.
 */
export function IndicatorsTable({ rows, logSource = [] }: { rows: IndicatorRow[]; logSource?: string[] }) {
  const source = logSource.length > 0 && (
    <p className="mb-2 text-sm text-slate-700" data-testid="rule-log-source">
      Log source: <code className="break-anywhere font-mono">{logSource.join(", ")}</code>
    </p>
  )
  if (rows.length === 0) {
    return (
      <>
        {source}
        <p className="text-sm text-slate-600">
          No literal indicator: this search tests no field against a fixed value.
        </p>
      </>
    )
  }
  return (
    <>
      {source}
      <Table data-testid="indicators-table" className="ind-table">
        <caption className="pb-2 text-left text-xs text-slate-600">
          Corpus count: how many other rules in the catalog, of any format, test the same thing (process name, command
          line…), kind and value (case-insensitive).
        </caption>
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
              <td>
                {meaningLabel(r.field)}
                {r.raw !== r.field && <span className="text-slate-600"> ({r.raw})</span>}
              </td>
              <td>{r.kind}</td>
              <td>
                <Link href={indicatorPath(r)} prefetch={false}>
                  {r.value === "" ? "(any value)" : r.value}
                </Link>
              </td>
              <td title={perFormat(r.byFormat)}>{r.corpusCount}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  )
}

/** `Splunk 28, Sigma 60`: rules per format carrying the indicator. */
export function perFormat(byFormat: Record<string, number>): string {
  return Object.entries(byFormat)
    .map(([f, n]) => `${formatLabel(f)} ${n}`)
    .join(", ")
}
