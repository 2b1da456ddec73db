import type { Metadata } from "next"

import { getCatalog } from "@/lib/catalog/get.node"
import { FORMAT_LABELS } from "@/components/catalog/rule-list"
import { RuleTable } from "@/components/catalog/rule-table.client"

export const metadata: Metadata = { title: "Detection rules" }

export default function RulesPage() {
  const total = getCatalog().catalog.detections.length
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Detection rules</h1>
      <p className="mt-2 text-slate-700">
        Every rule in the catalog ({total}). Filter by format, type, level, status, tactic, data source and platform;
        the choice is kept in the address so you can share the view, and the filtered rows export as CSV or JSON.
      </p>
      <div className="mt-6">
        <RuleTable total={total} exportName="rules" formatLabels={FORMAT_LABELS} />
      </div>
    </>
  )
}
