import type { Metadata } from "next"
import { Suspense } from "react"

import { IndicatorsView } from "@/components/indicators/indicators-view.client"

export const metadata: Metadata = { title: "Indicators" }

export default function IndicatorsPage() {
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Indicators</h1>
      <p className="mt-2 text-slate-700">
        Every field, kind and value the catalog&apos;s searches test, with the rules that share it. Values are compared
        case-insensitively; negated indicators (kind <code className="font-mono">not-…</code>) are counted apart.
      </p>
      <div className="mt-6">
        <Suspense fallback={<p className="text-sm text-slate-600">Loading indicators…</p>}>
          <IndicatorsView />
        </Suspense>
      </div>
    </>
  )
}
