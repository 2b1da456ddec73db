import type { Metadata } from "next"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { getCatalog } from "@/lib/catalog/get.node"
import { heatStrip } from "@/lib/catalog/technique-view"
import { HeatStrip } from "@/components/attack/heat-strip"

export const metadata: Metadata = { title: "ATT&CK tactics" }

export default function TacticsPage() {
  const rows = heatStrip(loadAttackIndex(), getCatalog())
  return (
    <article>
      <h1 className="text-3xl font-bold tracking-tight">ATT&amp;CK tactics</h1>
      <p className="mt-2 max-w-3xl text-slate-700">
        The Enterprise tactics in matrix order, with how many of their techniques the catalog&apos;s rules cover. Each
        square is a technique, shaded by its number of rules; open a tactic for its techniques.
      </p>
      <div className="mt-6">
        <HeatStrip rows={rows} />
      </div>
    </article>
  )
}
