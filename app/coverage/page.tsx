import type { Metadata } from "next"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { runnableData } from "@/lib/catalog/coverage-view"
import { getCatalog } from "@/lib/catalog/get.node"
import { FORMAT_LABELS } from "@/components/catalog/rule-list"
import { RunCoverage } from "@/components/coverage/run-coverage.client"

export const metadata: Metadata = {
  title: "What can I run?",
  description:
    "Pick the data sources you collect: the rules you can run, those you cannot and what they lack, and the ATT&CK coverage you get.",
}

export default function CoveragePage() {
  const { rules, ...data } = runnableData(loadAttackIndex(), getCatalog())
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">What can I run?</h1>
      <p className="mt-2 max-w-3xl text-slate-700">
        Tick the data sources you collect. A rule is runnable when any one of its data sources is collected:
        security_content lists alternative sources for the same events (Sysmon EventID 1, Security 4688 or CrowdStrike
        ProcessRollup2 for process creation). Names a rule joins with AND are needed together. Your choice is kept in
        the address and exports as a Navigator layer.
      </p>
      <div className="mt-6">
        <RunCoverage {...data} ruleCount={rules.length} formatLabels={FORMAT_LABELS} />
      </div>
    </>
  )
}
