import Link from "next/link"

import type { EventCoverage } from "@/lib/catalog/types"
import { Badge } from "@/components/ui/badge"
import { Table, Td, Th } from "@/components/ui/table"

type Row = EventCoverage & { resolved: boolean; slug?: string }

/**
 * Provider | event | title for every data source a rule reads, EDR and cloud ones included. On a
 * phone the provider and event columns go (the data source's name says both): four columns in 360
 * px broke "Process creation" into letters.
 */
export function EventTable({ rows }: { rows: Row[] }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600">This rule names no data source.</p>
  return (
    <Table data-testid="event-table">
      <thead>
        <tr>
          <Th className="max-sm:hidden">Provider</Th>
          <Th className="max-sm:hidden">Event</Th>
          <Th>Title</Th>
          <Th>Data source</Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.dataSource}|${r.event}`}>
            <Td className="max-sm:hidden">{r.provider}</Td>
            <Td className="whitespace-nowrap max-sm:hidden">{r.event}</Td>
            <Td>{r.title || <span className="text-slate-500">—</span>}</Td>
            <Td>
              {r.slug ? (
                <Link href={`/data-sources/${r.slug}/`} className="text-sky-700 underline underline-offset-2">
                  {r.dataSource}
                </Link>
              ) : r.resolved ? (
                r.dataSource
              ) : (
                <>
                  {r.dataSource} <Badge tone="amber">unresolved</Badge>
                </>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  )
}
