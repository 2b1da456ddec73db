import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { buildProcessEvents } from "../tester/event.ts"
import { fromTesterRules, testerRules } from "../tester/rules-data.ts"
import { besideRule } from "./beside.ts"

const WMIC = "WMIC Starts a Process on Another Host"

describe("a rule beside its SPL translations, as the tester worker asks", () => {
  // The worker holds the lean payload rows, not the build's analyses: judge from those.
  const catalog = loadCatalog({ roots: ["content"] })
  const lean = fromTesterRules(testerRules(catalog.detections))
  const rule = lean.find((d) => d.name === WMIC)
  const sigmaEvent = (cmd: string) =>
    buildProcessEvents({ cmd, parent: "C:\\Windows\\explorer.exe" }).shapes.sigma ?? {}

  it("judges a lean Sigma row on the event it read, with both translations", () => {
    expect(rule).toBeDefined()
    const fires = besideRule(rule!, sigmaEvent("wmic /node:10.0.0.5 process call create calc.exe"))
    expect(fires).toMatchObject({
      sigma: true,
      spl: { "spl-raw": true, "spl-cim": true },
      labels: { "spl-raw": "Raw Windows events", "spl-cim": "CIM data model (tstats)" },
      differs: [],
    })
    const local = besideRule(rule!, sigmaEvent("wmic /node:localhost process call create calc.exe"))
    expect(local).toMatchObject({ sigma: false, spl: { "spl-raw": false, "spl-cim": false }, differs: [] })
  })

  it("has nothing to say about a rule of a format it does not translate", () => {
    const splunk = lean.find((d) => d.format === "splunk")
    expect(splunk).toBeDefined()
    expect(besideRule(splunk!, sigmaEvent("wmic /node:10.0.0.5 process call create calc.exe"))).toBeUndefined()
  })
})
