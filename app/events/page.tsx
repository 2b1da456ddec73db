import type { Metadata } from "next"
import Link from "next/link"

import { getCatalog } from "@/lib/catalog/get.node"
import { eventRows } from "@/lib/catalog/coverage-view"
import { headlineCounts } from "@/lib/catalog/technique-view"
import { loadAttackIndex } from "@/lib/attack/load.node"
import { Section } from "@/components/ui/section"

export const metadata: Metadata = {
  title: "Event coverage",
  description: "Every provider, event and title the catalog's rules need, with rule counts.",
}

export default function EventsPage() {
  const index = getCatalog()
  const { rows, unresolved } = eventRows(index)
  const counts = headlineCounts(loadAttackIndex(), index)
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Event coverage</h1>
      <p className="mt-2 max-w-3xl text-slate-700">
        The events the catalog&apos;s rules read, by provider:{" "}
        <span data-testid="data-sources-read">{counts.dataSourcesRead}</span> of the catalog&apos;s{" "}
        <Link
          prefetch={false}
          href="/data-sources/"
          className="text-sky-800 underline"
          data-testid="data-sources-defined"
        >
          {counts.dataSources} data sources
        </Link>{" "}
        are read by at least one rule
        {counts.unresolvedDataSources > 0
          ? `, and rules name ${counts.unresolvedDataSources} more that no data source file defines (below)`
          : ""}
        . A rule listing several data sources counts once for each. Pick what you collect on{" "}
        <Link prefetch={false} href="/coverage/" className="text-sky-800 underline">
          What can I run?
        </Link>
      </p>
      <div className="mt-6 overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="event-table">
          <thead className="border-b border-slate-300 text-slate-700">
            <tr>
              <th scope="col" className="py-2 pr-4">
                Provider
              </th>
              <th scope="col" className="py-2 pr-4">
                Event
              </th>
              <th scope="col" className="py-2 pr-4">
                Title
              </th>
              <th scope="col" className="py-2 pr-4">
                Data source
              </th>
              <th scope="col" className="py-2 text-right">
                Rules
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.slug} className="border-b border-slate-100">
                <td className="py-1.5 pr-4">{r.provider}</td>
                <td className="py-1.5 pr-4 font-mono">{r.event}</td>
                <td className="py-1.5 pr-4">{r.title || "—"}</td>
                <td className="py-1.5 pr-4">
                  <Link href={`/data-sources/${r.slug}/`} prefetch={false} className="text-sky-800 hover:underline">
                    {r.dataSource}
                  </Link>
                </td>
                <td className="py-1.5 text-right tabular-nums">{r.rules}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Section id="unresolved" title={`Unresolved data source names (${unresolved.length})`}>
        <p className="mb-3 text-sm text-slate-700">
          Names rules use that no data source file defines; kept as written.
        </p>
        {unresolved.length === 0 ? (
          <p className="text-sm text-slate-700">None: every name resolves to a data source.</p>
        ) : (
          <ul className="list-disc pl-6 text-sm" data-testid="unresolved-sources">
            {unresolved.map((u) => (
              <li key={u.name}>
                {u.name} ({u.rules} rule{u.rules === 1 ? "" : "s"})
              </li>
            ))}
          </ul>
        )}
      </Section>
    </>
  )
}
