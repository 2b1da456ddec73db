import type { Metadata } from "next"

import { getCatalog } from "@/lib/catalog/get.node"
import { ruleSummary } from "@/lib/catalog/views"
import { RulesTable } from "@/components/rules/rules-table.client"

export const metadata: Metadata = { title: "Detection rules" }

export default function RulesPage() {
  const rules = getCatalog().catalog.detections.map(ruleSummary)
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Detection rules</h1>
      <p className="mt-2 text-slate-700">Every rule in the catalog. Filter by type, status and domain; the filters are kept in the address so you can share the view.</p>
      <div className="mt-6">
        <RulesTable rules={rules} />
      </div>
    </>
  )
}
