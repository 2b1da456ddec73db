import { describe, expect, it } from "vitest"

import {
  groupSources,
  parseSelection,
  runnableRules,
  selectionQuery,
  techniqueRules,
  type RunnableRule,
  type RunnableSource,
} from "./runnable.ts"

const src = (key: string, provider: string): RunnableSource => ({
  key,
  name: key,
  provider,
  event: "",
  title: "",
  resolved: true,
})
const sources = [
  src("sysmon-1", "Sysmon"),
  src("sec-4688", "Security-Auditing"),
  src("cs", "CrowdStrike"),
  src("sysmon-3", "Sysmon"),
]
const rule = (name: string, needs: number[][], techniques: string[] = []): RunnableRule => ({
  name,
  slug: name,
  format: "splunk",
  type: "TTP",
  needs,
  techniques,
})

describe("runnableRules", () => {
  const rules = [rule("wmic", [[0], [1], [2]], ["T1047"]), rule("pair", [[0, 3]], ["T1021"]), rule("none", [])]
  it("runs a rule when any alternative is fully collected", () => {
    const r = runnableRules(rules, new Set([0]))
    expect(r.runnable).toEqual([0])
    expect(r.blocked).toEqual([{ rule: 1, missing: [[3]] }])
    expect(r.unknown).toEqual([2])
  })
  it("requires every name of an AND-group", () => {
    expect(runnableRules(rules, new Set([0, 3])).runnable).toEqual([0, 1])
    expect(runnableRules(rules, new Set([3])).blocked.map((b) => b.missing)).toEqual([[[0], [1], [2]], [[0]]])
  })
  it("maps techniques of the runnable rules", () => {
    expect(techniqueRules(rules, [0, 1])).toEqual({ T1047: [0], T1021: [1] })
  })
})

describe("selection query", () => {
  it("round-trips and ignores unknown keys", () => {
    const s = parseSelection("cs,nope,sysmon-1", sources)
    expect([...s].sort()).toEqual([0, 2])
    expect(selectionQuery(s, sources)).toBe("sysmon-1,cs")
    expect(parseSelection(undefined, sources).size).toBe(0)
  })
  it("groups by provider with a filter", () => {
    expect(groupSources(sources).map((g) => g.provider)).toEqual(["CrowdStrike", "Security-Auditing", "Sysmon"])
    expect(groupSources(sources, "sysmon")).toEqual([{ provider: "Sysmon", sources: [0, 3] }])
  })
})
