import type { Metadata } from "next"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { getCatalog } from "@/lib/catalog/get.node"
import { attackMatrixData } from "@/lib/catalog/technique-view"
import { AttackMatrix } from "@/components/attack/attack-matrix.client"
import { FlaggedIdsTable } from "@/components/attack/flagged-ids"
import { FORMAT_LABELS } from "@/components/catalog/rule-list"
import { Section } from "@/components/ui/section"

export const metadata: Metadata = {
  title: "ATT&CK matrix",
  description: "The Enterprise ATT&CK matrix shaded by how many rules of the catalog cover each technique.",
}

export default function AttackPage() {
  const index = getCatalog()
  const { flagged, ...data } = attackMatrixData(loadAttackIndex(), index)
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">ATT&amp;CK matrix</h1>
      <p className="mt-2 max-w-3xl text-slate-700">
        Enterprise ATT&amp;CK v{data.attackVersion}: tactics in matrix order, each technique shaded by the number of
        rules that cover it. A technique&apos;s count includes the rules mapping its sub-techniques (marked *). Filters
        are kept in the address; the layer export follows them.
      </p>
      <div className="mt-6">
        <AttackMatrix {...data} formatLabels={FORMAT_LABELS} />
      </div>
      <Section id="flagged" title={`Ids not in ATT&CK v${data.attackVersion} (${flagged.length})`}>
        <FlaggedIdsTable flagged={flagged} rules={index.catalog.detections} />
      </Section>
    </>
  )
}
