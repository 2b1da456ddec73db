import { describe, expect, it } from "vitest"

import { facetsFromParams, parseQuery, searchParams } from "./query.ts"
import { listSnippet, markTerms, textSnippet } from "./snippet.ts"

describe("parseQuery", () => {
  it("splits filters from free text, with aliases and quotes", () => {
    expect(parseQuery('winrs technique:T1047 ioc:"cmd.exe /c" DS:sysmon type:ttp')).toEqual({
      filters: [
        { key: "technique", value: "T1047" },
        { key: "indicator", value: "cmd.exe /c" },
        { key: "source", value: "sysmon" },
        { key: "type", value: "ttp" },
      ],
      terms: ["winrs"],
    })
  })
  it("keeps unknown keys (a drive letter) and empty values as free text or nothing", () => {
    expect(parseQuery("C:\\Windows\\Temp tactic: -enc")).toEqual({ filters: [], terms: ["C:\\Windows\\Temp", "-enc"] })
  })
})

describe("facets in the URL", () => {
  it("round-trips, one parameter per value", () => {
    const params = searchParams("wmic", { type: ["TTP", "Anomaly"], source: ["Sysmon EventID 1"] })
    expect(params.toString()).toBe("q=wmic&type=TTP&type=Anomaly&source=Sysmon+EventID+1")
    expect(facetsFromParams(params)).toEqual({ type: ["TTP", "Anomaly"], source: ["Sysmon EventID 1"] })
  })
})

describe("snippets", () => {
  it("marks every occurrence, merging overlaps, case-insensitively", () => {
    expect(markTerms("WinRS winrs.exe", ["winrs", "rs.e"])).toEqual([
      [0, 5],
      [6, 13],
    ])
  })
  it("cuts long text around the first match", () => {
    const text = `${"lorem ipsum ".repeat(40)}the winrs tool ${"dolor sit ".repeat(40)}`
    const s = textSnippet(text, ["winrs"])
    expect(s.text.startsWith("…")).toBe(true)
    expect(s.text.endsWith("…")).toBe(true)
    expect(s.text.length).toBeLessThanOrEqual(165)
    const [start, end] = s.marks[0] ?? [0, 0]
    expect(s.text.slice(start, end)).toBe("winrs")
  })
  it("lists the matching items first, with a count of the rest", () => {
    expect(
      listSnippet(["a eq x", "b eq wmic.exe", "c eq wmic.exe", "d eq wmic.exe", "e eq wmic.exe"], ["wmic"]).text,
    ).toBe("b eq wmic.exe · c eq wmic.exe · d eq wmic.exe · +1 more")
  })
})
