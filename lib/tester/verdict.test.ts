import { describe, expect, it } from "vitest"

import type { Predicate } from "../predicate/types.ts"
import type { FiredRule, MatchReport } from "./match.ts"
import { closeness, compareNearMisses, identityOnly } from "./near-miss-rank.ts"
import { SIGMA_LEVEL_RISK } from "../formats/sigma/tester.ts"
import { riskOf } from "./risk.ts"
import { firesOnEverything, statusGroup, verdict } from "./verdict.ts"

const cmp = (id: number, field: string, value: string): Predicate => ({
  id,
  op: "cmp",
  field,
  cmpOp: "=",
  value,
  lang: "search",
})

describe("closeness", () => {
  // (process_name=a OR original_file_name=a) AND process=*x* AND process=*y* AND NOT process=*z*
  const p: Predicate = {
    op: "and",
    args: [
      { op: "or", args: [cmp(1, "process_name", "a"), cmp(2, "original_file_name", "a")] },
      cmp(3, "process", "*x*"),
      cmp(4, "process", "*y*"),
      { op: "not", arg: cmp(5, "process", "*z*") },
      cmp(6, "action", "allowed"),
    ],
  }
  it("counts an OR as its closest branch, ignores exclusions and constant fields", () => {
    const o = new Map([
      [1, { held: true, value: "a" }],
      [2, { held: false, value: "b" }],
      [3, { held: true, value: "x" }],
      [4, { held: false, value: "x" }],
      [5, { held: false, value: "x" }],
      [6, { held: true, value: "allowed" }],
    ] as const)
    expect(closeness(p, o, new Set(["action"]))).toEqual({ held: 2, total: 3 })
  })
  it("does not count a condition that held on no value", () => {
    expect(closeness(cmp(1, "f", "*"), new Map([[1, { held: true }]]), new Set())).toEqual({ held: 0, total: 1 })
  })
  it("orders closer first, then more held, then failures on a present value", () => {
    const a = { closeness: { held: 1, total: 2 }, failed: [{ value: "v" }] }
    const b = { closeness: { held: 2, total: 3 }, failed: [{}] }
    const c = { closeness: { held: 2, total: 3 }, failed: [{ value: "v" }] }
    const d = { closeness: { held: 4, total: 6 }, failed: [{}] }
    expect([a, b, c, d].sort(compareNearMisses)).toEqual([d, c, b, a])
  })
  it("a rule rescued only by the process identity is not near", () => {
    expect(identityOnly([{ field: "original_file_name" }])).toBe(true)
    expect(identityOnly([{ field: "original_file_name" }, { field: "process" }])).toBe(false)
    expect(identityOnly([])).toBe(false)
  })
})

describe("risk", () => {
  it("maps a Sigma level to the middle of the Splunk severity band onto the user and host the event names", () => {
    const read = (f: string) => ({ User: "CORP\\bob", Computer: "ws1" })[f]
    expect(riskOf({ format: "sigma", risk: { severity: "high", entities: [] } }, read)).toEqual([
      { field: "user", type: "user", value: "CORP\\bob", score: SIGMA_LEVEL_RISK.high, basis: "Sigma level high → 70" },
      { field: "dest", type: "system", value: "ws1", score: 70, basis: "Sigma level high → 70" },
    ])
    expect(riskOf({ format: "sigma", risk: { entities: [] } }, read)).toEqual([])
  })
})

const fired = (
  name: string,
  status: string,
  severity: string | undefined,
  risk: FiredRule["risk"],
  held = true,
): FiredRule => ({
  id: name,
  name,
  slug: name,
  format: "splunk",
  type: "TTP",
  path: "",
  status,
  ...(severity ? { severity } : {}),
  shape: "cim",
  risk,
  summary: "",
  trace: [
    {
      index: 0,
      command: "search",
      result: true,
      macros: [],
      leaves: [{ id: 1, held: true, test: "x=1", field: "x", ...(held ? { value: "1" } : {}) }],
    },
  ],
})

describe("verdict", () => {
  const report = {
    fired: [
      fired("a", "production", "medium", [{ field: "dest", type: "system", value: "h", score: 60, basis: "" }]),
      fired("b", "experimental", "high", [
        { field: "dest", type: "system", value: "H", score: 50, basis: "" },
        { field: "user", type: "user", score: 50, basis: "" },
      ]),
      fired(
        "c",
        "deprecated",
        "critical",
        [{ field: "dest", type: "system", value: "h", score: 90, basis: "" }],
        false,
      ),
    ],
    risk: { threshold: 100, totals: [] },
  } as unknown as MatchReport
  it("counts what the status filter keeps, the highest severity, and risk per named entity", () => {
    const v = verdict(report)
    expect(v.fired.map((f) => f.name)).toEqual(["a", "b"])
    expect(v.hidden.deprecated).toBe(1)
    expect(v.highest).toBe("high")
    expect(v.totals).toEqual([{ field: "dest", value: "h", score: 110, rules: ["a", "b"], exceeds: true }])
    expect(v.unnamed).toBe(true)
    expect(v.groups.map((g) => [g.format, g.severity, g.rules.length])).toEqual([
      ["splunk", "high", 1],
      ["splunk", "medium", 1],
    ])
    expect(verdict(report, ["deprecated"]).highest).toBe("critical")
  })
  it("flags a rule none of whose positive conditions held on a value", () => {
    expect(firesOnEverything(report.fired[2]!)).toBe(true)
    expect(firesOnEverything(report.fired[0]!)).toBe(false)
  })
  it("groups statuses of both formats", () => {
    expect(
      ["production", "stable", "test", "experimental", "unset", "deprecated", "unsupported"].map(statusGroup),
    ).toEqual(["production", "production", "production", "experimental", "experimental", "deprecated", "deprecated"])
  })
})
