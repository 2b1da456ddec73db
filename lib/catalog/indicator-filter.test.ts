import { describe, expect, it } from "vitest"

import {
  filterIndicators,
  findIndicator,
  indicatorFacet,
  selectedIndicator,
  sortIndicators,
  type IndicatorJsonRow,
} from "./indicator-filter.ts"

const ROWS: IndicatorJsonRow[] = [
  { field: "process_name", kind: "eq", value: "wmic.exe", rules: [0, 1, 2] },
  { field: "process", kind: "contains", value: "/node:", rules: [0, 3] },
  { field: "process_name", kind: "not-eq", value: "cmd.exe", rules: [4] },
  { field: "CommandLine", kind: "contains", value: "WMIC", rules: [5, 6, 7, 8] },
]
const names = (rows: IndicatorJsonRow[]) => rows.map((r) => r.value)

describe("filterIndicators", () => {
  it("filters by exact field (case-sensitive), kind and value substring (case-insensitive)", () => {
    expect(names(filterIndicators(ROWS, { field: "process_name", kind: "", q: "" }))).toEqual(["wmic.exe", "cmd.exe"])
    expect(names(filterIndicators(ROWS, { field: "Process_name", kind: "", q: "" }))).toEqual([])
    expect(names(filterIndicators(ROWS, { field: "", kind: "contains", q: "" }))).toEqual(["/node:", "WMIC"])
    expect(names(filterIndicators(ROWS, { field: "", kind: "", q: " wmic " }))).toEqual(["wmic.exe", "WMIC"])
    expect(filterIndicators(ROWS, { field: "", kind: "", q: "" })).toEqual(ROWS)
  })
})

describe("sortIndicators", () => {
  it("sorts by rule count, most shared first, without mutating the input", () => {
    const copy = [...ROWS]
    expect(names(sortIndicators(ROWS, "count"))).toEqual(["WMIC", "wmic.exe", "/node:", "cmd.exe"])
    expect(ROWS).toEqual(copy)
  })
  it("sorts by field then kind, or by value ignoring case", () => {
    expect(names(sortIndicators(ROWS, "field"))).toEqual(["WMIC", "/node:", "wmic.exe", "cmd.exe"])
    expect(names(sortIndicators(ROWS, "value"))).toEqual(["/node:", "cmd.exe", "WMIC", "wmic.exe"])
  })
})

describe("indicatorFacet", () => {
  it("counts indicators per field, most first", () => {
    expect(indicatorFacet(ROWS, "field")).toEqual([
      { key: "process_name", count: 2 },
      { key: "CommandLine", count: 1 },
      { key: "process", count: 1 },
    ])
  })
})

describe("selected indicator", () => {
  it("reads field/kind/value or key=field|kind|value", () => {
    expect(selectedIndicator({ field: "process", kind: "contains", value: "/node:" })).toEqual({
      field: "process",
      kind: "contains",
      value: "/node:",
    })
    expect(selectedIndicator({ key: "process|contains|a|b" })).toEqual({
      field: "process",
      kind: "contains",
      value: "a|b",
    })
    expect(selectedIndicator({ field: "process" })).toBeUndefined()
    expect(selectedIndicator({ key: "nokind" })).toBeUndefined()
  })
  it("finds the row with the value compared case-insensitively, field and kind exactly", () => {
    expect(findIndicator(ROWS, { field: "process_name", kind: "eq", value: "WMIC.EXE" })?.rules).toEqual([0, 1, 2])
    expect(findIndicator(ROWS, { field: "process_name", kind: "not-eq", value: "CMD.exe" })?.rules).toEqual([4])
    expect(findIndicator(ROWS, { field: "process_name", kind: "not-eq", value: "wmic.exe" })).toBeUndefined()
    expect(findIndicator(ROWS, { field: "commandline", kind: "contains", value: "wmic" })).toBeUndefined()
  })
})
