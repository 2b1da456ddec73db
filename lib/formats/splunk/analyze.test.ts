import { describe, expect, it } from "vitest"

import { analyzeDetections } from "./analyze.ts"
import { splunkDetail } from "./analysis.ts"
import type { Detection, Macro } from "../../model/types.ts"

function rule(search: string): Detection {
  const raw = `name: r\nsearch: |-\n  ${search.split("\n").join("\n  ")}\nhow_to_implement: x\n`
  return { format: "splunk", slug: "r", name: "r", path: "content/detections/r.yml", search, raw } as Detection
}
const macro = (name: string, definition: string, args: string[] = []): Macro => ({
  name,
  arguments: args,
  definition,
  description: "",
  path: `content/macros/${name}.yml`,
})

describe("analyzeDetections", () => {
  it("attaches the analysis with the catalog's macros, keyed by name and arity", () => {
    const d = rule("index=x `two(a,b)` | `r_filter`")
    const diags = analyzeDetections([d], [macro("two", "f1=$x$ f2=$y$", ["x", "y"])])
    expect(diags).toEqual([])
    expect(d.analysis?.stages.map((s) => s.command)).toEqual(["search", "search"])
    expect(splunkDetail(d.analysis)?.expanded).toContain("f1=a f2=b")
  })

  it("reports an unknown macro at its line and column, once per macro", () => {
    const d = rule("index=x\n`nope` `nope` `get_asset(dest)`")
    const diags = analyzeDetections([d], [])
    expect(diags).toEqual([
      {
        path: d.path,
        line: 4,
        column: 3,
        severity: "warning",
        code: "unknown-macro",
        message: "macro `nope` is not defined in macros/",
      },
    ])
    expect(d.analysis).toBeDefined()
  })

  it("reports a wrong arity as an unknown macro and a nested unknown at its top-level call", () => {
    const d = rule("`outer` `two(a)`")
    const diags = analyzeDetections([d], [macro("outer", "`inner`"), macro("two", "x", ["a", "b"])])
    expect(diags.map((x) => `${x.line}:${x.column} ${x.code} ${x.message}`)).toEqual([
      "3:3 unknown-macro macro `inner` is not defined in macros/ (reached through `outer`)",
      "3:11 unknown-macro macro `two(1)` is not defined in macros/",
    ])
  })

  it("reports macro cycles without hanging", () => {
    const d = rule("`a`")
    const diags = analyzeDetections([d], [macro("a", "`b`"), macro("b", "`a`")])
    expect(diags).toHaveLength(1)
    expect(diags[0]).toMatchObject({ code: "macro-cycle", line: 3, column: 3 })
    expect(diags[0]?.message).toContain("a → b → a")
  })

  it("turns an engine exception into an spl-analysis error and keeps the rule", () => {
    const bad = rule("`broken`")
    const good = rule("user=x")
    const diags = analyzeDetections([bad, good], [macro("broken", null as unknown as string)])
    expect(diags).toHaveLength(1)
    expect(diags[0]).toMatchObject({ severity: "error", code: "spl-analysis", line: 2, column: 1 })
    expect(bad.analysis).toBeUndefined()
    expect(good.analysis?.evaluability.evaluable).toBe(true)
  })
})
