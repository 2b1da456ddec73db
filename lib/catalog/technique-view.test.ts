import { existsSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { loadAttackIndex } from "../attack/load.node.ts"
import { loadCatalog } from "./load.node.ts"
import { attackMatrixData, logSourceMatches, techniquePath, techniqueView } from "./technique-view.ts"
import { indexCatalog } from "./views.ts"
import type { DataSource } from "./types.ts"

const ds = (over: Partial<DataSource>): DataSource =>
  ({
    name: "Sysmon EventID 1",
    slug: "sysmon-eventid-1",
    description: "",
    source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",
    sourcetype: "XmlWinEventLog",
    fields: [],
    supportedTA: [],
    fieldMappings: [],
    coverage: { provider: "Sysmon", event: "Event ID 1", title: "Process creation", dataSource: "Sysmon EventID 1" },
    path: "x",
    ...over,
  }) as DataSource

describe("logSourceMatches", () => {
  it("matches a Windows channel and event code", () => {
    expect(logSourceMatches({ name: "WinEventLog:Sysmon", channel: "EventCode=1" }, ds({}))).toBe(true)
    expect(logSourceMatches({ name: "WinEventLog:Sysmon", channel: "EventCode=3, 22" }, ds({}))).toBe(false)
    expect(logSourceMatches({ name: "WinEventLog:Security", channel: "EventCode=1" }, ds({}))).toBe(false)
    const security = ds({
      source: "XmlWinEventLog:Security",
      coverage: { provider: "Security-Auditing", event: "Event ID 4688", title: "", dataSource: "x" },
    })
    expect(logSourceMatches({ name: "WinEventLog:Security", channel: "EventCode=4688, 4689" }, security)).toBe(true)
    expect(logSourceMatches({ name: "WinEventLog:Security", channel: "process creation" }, security)).toBe(true)
  })
  it("matches other sources by product words and event name", () => {
    const console = ds({
      name: "AWS CloudTrail ConsoleLogin",
      source: "aws_cloudtrail",
      sourcetype: "aws:cloudtrail",
      coverage: { provider: "AWS CloudTrail", event: "ConsoleLogin", title: "", dataSource: "x" },
    })
    expect(logSourceMatches({ name: "AWS:CloudTrail", channel: "ConsoleLogin, AssumeRole" }, console)).toBe(true)
    expect(logSourceMatches({ name: "AWS:CloudTrail", channel: "GetInstanceIdentityDocument" }, console)).toBe(false)
    expect(logSourceMatches({ name: "Okta:SystemLog", channel: "user.authentication.sso" }, console)).toBe(false)
  })
  it("technique paths are lower-case", () => {
    expect(techniquePath("T1021.006")).toBe("/techniques/t1021.006/")
  })
})

const CORPUS = "../shared/corpora/security_content"
describe.skipIf(!existsSync(CORPUS))("the matrix on the security_content corpus", () => {
  if (!existsSync(CORPUS)) console.warn(`skipped: ${CORPUS} is absent`)
  it("places every known technique the corpus maps to in a cell or under its parent; t1047 lists the WMI rule", () => {
    const attack = loadAttackIndex()
    const index = indexCatalog(loadCatalog({ roots: [CORPUS] }))
    const data = attackMatrixData(attack, index)
    const cells = new Set(data.shape.tactics.flatMap((t) => t.techniques))
    const subs = new Set(Object.values(data.shape.subs).flat())
    const mapped = new Set(
      index.catalog.detections.flatMap((d) => d.attack.filter((a) => a.status === "known").map((a) => a.id)),
    )
    expect(mapped.size).toBeGreaterThan(200)
    for (const id of mapped) expect(cells.has(id) || subs.has(id), id).toBe(true)
    for (const id of mapped) expect(data.map[id]?.length ?? 0, id).toBeGreaterThan(0)
    const t1047 = techniqueView(attack, index, "t1047")
    expect(t1047.rules.map((r) => r.name)).toContain("Remote Process Instantiation via WMI")
  }, 60_000)
})
