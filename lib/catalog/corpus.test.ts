import { existsSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { loadCatalog } from "./load.node.ts"
import { ruleEventCoverage, indexCatalog } from "./views.ts"

const CORPUS = "../shared/corpora/security_content"
const present = existsSync(CORPUS)
if (!present) console.warn(`skipping the security_content corpus test: ${CORPUS} is absent`)

describe.skipIf(!present)("security_content corpus", () => {
  const catalog = present ? loadCatalog({ roots: [CORPUS] }) : undefined
  it("loads every detection and accounts for every other file", () => {
    if (!catalog) return
    expect(catalog.detections.length).toBeGreaterThanOrEqual(1700)
    const rejected = catalog.files.filter((f) => f.status === "rejected")
    expect(rejected).toEqual([])
    for (const f of catalog.files.filter((x) => x.status !== "loaded")) expect(f.reason, f.path).toBeTruthy()
    expect(catalog.macros.length).toBe(189)
    expect(catalog.stories.length).toBe(261)
    expect(catalog.dataSources.length).toBe(205)
    console.log(
      `corpus: ${catalog.detections.length} detections, ${catalog.files.length} files, ${catalog.diagnostics.length} diagnostics, ${catalog.loadMs} ms`,
    )
  })
  it("shows the WMI rule as the seed does, CrowdStrike included, risk 70 × 70 / 100", () => {
    if (!catalog) return
    const index = indexCatalog(catalog)
    const wmi = catalog.detections.find((d) => d.name === "Remote Process Instantiation via WMI")
    expect(wmi?.attack).toEqual([
      { id: "T1047", name: "Windows Management Instrumentation", tactics: ["execution"], status: "known" },
    ])
    expect(wmi?.risk.legacy?.score).toBe(49)
    const rows = wmi ? ruleEventCoverage(index, wmi).map((r) => `${r.provider}|${r.event}|${r.title}`) : []
    expect(rows).toEqual([
      "Sysmon|Event ID 1|Process creation",
      "Security-Auditing|Event ID 4688|A new process has been created.",
      "CrowdStrike|ProcessRollup2|Process creation",
    ])
  })
  it("keeps the stored risk_score out of the computed one", () => {
    if (!catalog) return
    for (const d of catalog.detections.filter((x) => x.risk.legacy)) {
      expect(d.risk.score).toBe(Math.round((d.risk.legacy!.impact * d.risk.legacy!.confidence) / 100))
    }
  })
})
