import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import {
  cellCount,
  compactFacets,
  coveredTechniques,
  flaggedIds,
  matrixShape,
  rowMatches,
  ruleMatches,
  selectRows,
  shadeLegend,
  shadeLevel,
  techniqueRuleMap,
  type CoverageRule,
} from "./coverage.ts"
import { buildAttackIndex } from "./model.ts"
import { compactFromStix } from "./stix.ts"

const index = buildAttackIndex(
  compactFromStix(JSON.parse(readFileSync(new URL("./__fixtures__/mini-bundle.json", import.meta.url), "utf8"))),
)

const rule = (over: Partial<CoverageRule>): CoverageRule => ({
  format: "splunk",
  type: "TTP",
  status: "production",
  domain: "endpoint",
  dataSources: ["Sysmon EventID 1"],
  techniques: [],
  ...over,
})

const rules: CoverageRule[] = [
  rule({ techniques: ["T1021"] }),
  rule({ techniques: ["t1021.006"], type: "Correlation", dataSources: ["Windows Event Log Security 4688"] }),
  rule({ techniques: ["T1021", "T1021.006"], format: "sigma", domain: "" }),
  rule({ techniques: ["T1028", "T9999", "T1064"], status: "experimental" }),
]

describe("techniqueRuleMap", () => {
  it("maps upper-cased ids to rule numbers, once per rule", () => {
    const map = techniqueRuleMap([...rules, rule({ techniques: ["T1021", "t1021"] })])
    expect(map.T1021).toEqual([0, 2, 4])
    expect(map["T1021.006"]).toEqual([1, 2])
    expect(map.T9999).toEqual([3])
  })
})

describe("cellCount", () => {
  const map = techniqueRuleMap(rules)
  it("counts sub-technique rules toward the parent cell, each rule once, flagged", () => {
    expect(cellCount(map, "T1021", ["T1021.006"], undefined)).toEqual({ direct: 2, total: 3, viaSub: true })
    expect(cellCount(map, "T1021.006", [], undefined)).toEqual({ direct: 2, total: 2, viaSub: false })
  })
  it("only counts the selected rules", () => {
    const selected = new Set([1])
    expect(cellCount(map, "T1021", ["T1021.006"], selected)).toEqual({ direct: 0, total: 1, viaSub: true })
  })
  it("is zero for an id no rule maps", () => {
    expect(cellCount(map, "T1047", [], undefined)).toEqual({ direct: 0, total: 0, viaSub: false })
  })
})

describe("filters", () => {
  it("ruleMatches and rowMatches agree for every facet", () => {
    const facets = compactFacets(rules)
    const filters = [
      {},
      { format: "sigma" },
      { type: "Correlation" },
      { status: "experimental" },
      { domain: "endpoint" },
      { dataSource: "Windows Event Log Security 4688" },
      { type: "TTP", format: "splunk" },
      { type: "nope" },
    ]
    for (const f of filters) {
      const expected = rules.flatMap((r, i) => (ruleMatches(r, f) ? [i] : []))
      expect(facets.rows.flatMap((row, i) => (rowMatches(row, facets.values, f) ? [i] : []))).toEqual(expected)
      expect([...selectRows(facets, f)]).toEqual(expected)
    }
    expect(facets.values.type).toEqual(["Correlation", "TTP"])
    expect(facets.values.domain).toEqual(["endpoint"])
    expect(facets.rows[2]?.[3]).toBe(-1)
  })
})

describe("flaggedIds", () => {
  it("lists unknown, revoked (with replacement) and deprecated ids with their rules", () => {
    const flagged = flaggedIds(index, techniqueRuleMap(rules))
    expect(flagged).toEqual([
      {
        id: "T1028",
        status: "revoked",
        name: "Windows Remote Management",
        replacement: { id: "T1021.006", name: "Windows Remote Management" },
        rules: [3],
      },
      { id: "T1064", status: "deprecated", name: "Scripting", rules: [3] },
      { id: "T9999", status: "unknown", rules: [3] },
    ])
  })
  it("coveredTechniques keeps live ids only", () => {
    expect(coveredTechniques(index, techniqueRuleMap(rules))).toEqual(["T1021", "T1021.006"])
    expect(coveredTechniques(index, techniqueRuleMap(rules), new Set([1]))).toEqual(["T1021.006"])
  })
})

describe("matrixShape", () => {
  it("puts live parents under their tactics in ATT&CK order with their live subs", () => {
    const shape = matrixShape(index)
    expect(shape.tactics.map((t) => [t.shortname, t.techniques])).toEqual([
      ["execution", []],
      ["lateral-movement", ["T1021"]],
    ])
    expect(shape.subs).toEqual({ T1021: ["T1021.006"] })
    expect(shape.names["T1021.006"]).toBe("Windows Remote Management")
    expect(shape.names.T1028).toBeUndefined()
  })
})

describe("shades", () => {
  it("levels grow with the count and the legend names each level", () => {
    expect([0, 1, 2, 3, 9, 10, 29, 30, 99, 100, 299, 300, 507].map(shadeLevel)).toEqual([
      0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    ])
    expect(shadeLegend().map((l) => l.label)).toEqual([
      "no rule",
      "1–2 rules",
      "3–9 rules",
      "10–29 rules",
      "30–99 rules",
      "100–299 rules",
      "300+ rules",
    ])
  })
})
