import { describe, expect, it } from "vitest"

import {
  decodeRows,
  encodeRows,
  exportFileName,
  facetCounts,
  filterRows,
  inScope,
  pageOf,
  paramsFromQuery,
  purposeOf,
  queryFromParams,
  rowsToCsv,
  rowsToJson,
  sortRows,
  type RuleRow,
} from "./rule-list.ts"

function row(p: Partial<RuleRow> & { name: string }): RuleRow {
  return {
    format: "splunk",
    slug: p.name.toLowerCase().replace(/\W+/g, "-"),
    type: "TTP",
    level: "",
    status: "production",
    date: "",
    techniques: [],
    tactics: [],
    sources: [],
    platform: "",
    stories: [],
    macros: [],
    ...p,
  }
}

const rows: RuleRow[] = [
  row({
    name: "WMIC Remote Process",
    techniques: ["T1047"],
    tactics: ["execution"],
    sources: ["Sysmon EventID 1", "Windows Event Log Security 4688"],
    platform: "endpoint",
    level: "high",
    date: "2025-01-02",
    stories: ["Remote Execution"],
  }),
  row({
    name: "Encoded PowerShell",
    format: "sigma",
    type: "Detection",
    techniques: ["T1059.001"],
    tactics: ["execution"],
    sources: ["Sysmon EventID 1"],
    platform: "windows",
    level: "medium",
    status: "experimental",
    date: "2024-06-01",
  }),
  row({
    name: "=cmd|' /C calc'!A0",
    format: "sigma",
    type: "Detection",
    techniques: ["T1059"],
    tactics: ["execution"],
    platform: "windows",
    level: "low",
    status: "test",
    date: "2023-01-01",
  }),
  row({
    name: "Cloud Login Burst",
    type: "Anomaly",
    techniques: ["T1078"],
    tactics: ["initial-access", "persistence"],
    sources: ["AWS CloudTrail"],
    platform: "cloud",
    level: "low",
    macros: ["cloudtrail"],
  }),
]

describe("rule list wire format", () => {
  it("round-trips rows with each value stored once", () => {
    const wire = encodeRows(rows)
    expect(wire.values.format).toEqual(["splunk", "sigma"])
    expect(wire.values.source.filter((s) => s === "Sysmon EventID 1")).toHaveLength(1)
    expect(decodeRows(JSON.parse(JSON.stringify(wire)))).toEqual(rows)
  })
})

describe("scope", () => {
  it("a technique takes its sub-techniques, not techniques sharing a prefix", () => {
    const extra = row({ name: "Other", techniques: ["T10590"] })
    expect([...rows, extra].filter((r) => inScope(r, { technique: "t1059" })).map((r) => r.name)).toEqual([
      "Encoded PowerShell",
      "=cmd|' /C calc'!A0",
    ])
  })
  it("every given key must hold", () => {
    expect(rows.filter((r) => inScope(r, { source: "Sysmon EventID 1", tactic: "execution" }))).toHaveLength(2)
    expect(rows.filter((r) => inScope(r, { story: "Remote Execution" }))).toHaveLength(1)
    expect(rows.filter((r) => inScope(r, { macro: "cloudtrail" }))).toHaveLength(1)
  })
})

describe("filtering and facets", () => {
  const q = queryFromParams({ format: "sigma" })
  it("filters by facet and by text (name or technique id)", () => {
    expect(filterRows(rows, q).map((r) => r.name)).toEqual(["Encoded PowerShell", "=cmd|' /C calc'!A0"])
    expect(filterRows(rows, queryFromParams({ q: "t1059" }))).toHaveLength(2)
    expect(filterRows(rows, queryFromParams({ q: "cloud" })).map((r) => r.name)).toEqual(["Cloud Login Burst"])
    expect(
      filterRows(rows, queryFromParams({ source: "Sysmon EventID 1", format: "splunk" })).map((r) => r.name),
    ).toEqual(["WMIC Remote Process"])
  })
  it("counts each facet over the rows the other filters keep", () => {
    const counts = facetCounts(rows, q)
    expect(counts.format).toEqual([
      { value: "sigma", count: 2 },
      { value: "splunk", count: 2 },
    ])
    expect(counts.level).toEqual([
      { value: "low", count: 1 },
      { value: "medium", count: 1 },
    ])
    expect(counts.tactic).toEqual([{ value: "execution", count: 2 }])
    // A rule with two tactics counts once under each.
    expect(facetCounts(rows, queryFromParams({})).tactic).toEqual([
      { value: "execution", count: 3 },
      { value: "initial-access", count: 1 },
      { value: "persistence", count: 1 },
    ])
  })
  it("keeps a chosen value that no longer matches anything, at zero", () => {
    expect(facetCounts(rows, queryFromParams({ format: "sigma", platform: "cloud" })).platform).toContainEqual({
      value: "cloud",
      count: 0,
    })
  })
})

describe("sorting and paging", () => {
  it("sorts by date (newest first), level (most severe first), name", () => {
    expect(sortRows(rows, "date").map((r) => r.date)).toEqual(["2025-01-02", "2024-06-01", "2023-01-01", ""])
    expect(sortRows(rows, "level").map((r) => r.level)).toEqual(["high", "medium", "low", "low"])
    expect(sortRows(rows, "name")[0]?.name).toBe("=cmd|' /C calc'!A0")
  })
  it("pages clamp to the last page", () => {
    const many = Array.from({ length: 120 }, (_, i) => i)
    expect(pageOf(many, 3)).toMatchObject({ page: 3, pages: 3, rows: many.slice(100) })
    expect(pageOf(many, 9).page).toBe(3)
    expect(pageOf([], 2)).toMatchObject({ page: 1, pages: 1, rows: [] })
  })
})

describe("URL state", () => {
  it("round-trips, leaving defaults out and ignoring junk", () => {
    const q = queryFromParams({ level: "high", sort: "date", page: "2", q: "wmi", bogus: "x" })
    expect(q).toEqual({ q: "wmi", filters: { level: "high" }, sort: "date", page: 2 })
    expect(Object.fromEntries(Object.entries(paramsFromQuery(q)).filter(([, v]) => v))).toEqual({
      q: "wmi",
      sort: "date",
      page: "2",
      level: "high",
    })
    expect(queryFromParams({ sort: "evil", page: "-3" })).toEqual({ q: "", filters: {}, sort: "name", page: 1 })
  })
})

describe("export", () => {
  it("writes CSV with quoted cells and formulas neutralised", () => {
    const csv = rowsToCsv(rows.slice(1, 3), "https://atlas.example")
    const lines = csv.split("\r\n")
    expect(lines[0]).toBe("name,format,type,level,status,date,techniques,tactics,data_sources,platform,url")
    expect(lines[1]).toBe(
      '"Encoded PowerShell","sigma","Detection","medium","experimental","2024-06-01","T1059.001","execution","Sysmon EventID 1","windows","https://atlas.example/rules/sigma/encoded-powershell/"',
    )
    expect(lines[2]?.startsWith(`"'=cmd|' /C calc'!A0"`)).toBe(true)
    expect(lines).toHaveLength(4)
  })
  it("writes JSON records with lists as arrays", () => {
    const json = JSON.parse(rowsToJson(rows.slice(0, 1), ""))
    expect(json).toEqual([
      {
        name: "WMIC Remote Process",
        format: "splunk",
        type: "TTP",
        level: "high",
        status: "production",
        date: "2025-01-02",
        techniques: ["T1047"],
        tactics: ["execution"],
        data_sources: ["Sysmon EventID 1", "Windows Event Log Security 4688"],
        platform: "endpoint",
        url: "/rules/splunk/wmic-remote-process/",
      },
    ])
  })
  it("names the file after the page and the filters", () => {
    expect(
      exportFileName("technique-T1059", queryFromParams({ format: "sigma", source: "Sysmon EventID 1" }), "csv"),
    ).toBe("technique-T1059_format-sigma_source-Sysmon-EventID-1.csv")
  })
})

describe("what a match does, across formats", () => {
  it("reads each format's own type in the same words", () => {
    expect(["TTP", "Detection", "Emerging threat", "EQL", "Query", "ES|QL", "Machine learning"].map(purposeOf)).toEqual(
      Array(7).fill("alert"),
    )
    expect(["Anomaly", "EQL (building block)", "New terms (building block)"].map(purposeOf)).toEqual(
      Array(3).fill("signal"),
    )
    expect(purposeOf("Hunting")).toBe("hunting")
    expect(purposeOf("Correlation")).toBe("correlation")
  })
  it("filters on it from the address", () => {
    const rows = [
      row({ name: "a", type: "TTP" }),
      row({ name: "b", type: "Anomaly" }),
      row({ name: "c", type: "Hunting" }),
    ]
    expect(filterRows(rows, queryFromParams({ purpose: "signal" })).map((r) => r.type)).toEqual(["Anomaly"])
  })
})
