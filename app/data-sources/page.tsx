import type { Metadata } from "next"
import Link from "next/link"

import { getCatalog } from "@/lib/catalog/get.node"
import { Table, Td, Th } from "@/components/ui/table"

export const metadata: Metadata = { title: "Data sources" }

export default function DataSourcesPage() {
  const index = getCatalog()
  const sources = [...index.catalog.dataSources].sort((a, b) => a.name.localeCompare(b.name))
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Data sources</h1>
      <Table className="mt-6">
        <thead>
          <tr>
            <Th>Data source</Th>
            <Th className="hidden sm:table-cell">Provider</Th>
            <Th className="hidden sm:table-cell">Event</Th>
            <Th>Rules</Th>
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.slug}>
              <Td>
                <Link
                  prefetch={false}
                  href={`/data-sources/${s.slug}/`}
                  className="text-sky-700 underline underline-offset-2"
                >
                  {s.name}
                </Link>
              </Td>
              <Td className="hidden sm:table-cell">{s.coverage.provider}</Td>
              <Td className="hidden sm:table-cell">{s.coverage.event}</Td>
              <Td>{index.rulesByDataSource.get(s.name)?.length ?? 0}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {index.catalog.unresolvedDataSources.length > 0 && (
        <>
          <h2 className="mt-10 text-xl font-semibold">Names rules use that no data source file defines</h2>
          <ul className="mt-2 list-disc pl-6 text-sm">
            {index.catalog.unresolvedDataSources.map((u) => (
              <li key={u.name}>
                {u.name} ({u.detections.length} rules)
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}
