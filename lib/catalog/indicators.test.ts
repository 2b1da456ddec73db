import { describe, expect, it } from "vitest"

import { analyzeSpl } from "../formats/splunk/spl/analyze.ts"
import { macroMap } from "../formats/splunk/spl/macros.ts"
import { splRuleAnalysis } from "../formats/splunk/analysis.ts"
import { buildIndicatorTable, indicatorData, indicatorPath, keyOf } from "./indicators.ts"
import type { Detection } from "./types.ts"

const MACROS = macroMap([
  {
    name: "process_wmic",
    arguments: [],
    definition: "(Processes.process_name=wmic.exe OR Processes.original_file_name=wmic.exe)",
  },
])

function rule(slug: string, search: string): Detection {
  return {
    format: "splunk",
    slug,
    name: slug,
    search,
    analysis: splRuleAnalysis(analyzeSpl(search, MACROS)),
  } as unknown as Detection
}

const rows = (t: ReturnType<typeof buildIndicatorTable>, i: number) =>
  (t.byRule[i] ?? []).map((r) => `${r.field} ${r.kind} ${r.value} ${r.corpusCount}`)

describe("buildIndicatorTable", () => {
  it("counts OTHER rules carrying the same (meaning, kind, value), values case-insensitively", () => {
    const t = buildIndicatorTable([
      rule(
        "a",
        '| tstats count FROM datamodel=Endpoint.Processes WHERE `process_wmic` Processes.process="*/node:*" BY Processes.dest',
      ),
      rule("b", "index=win process_name=WMIC.EXE"),
      rule("c", "index=win process_name=wmic.exe process=*/NODE:*"),
      rule("d", "index=win parent_process_name=wmic.exe"),
    ])
    expect(rows(t, 0)).toEqual([
      "process-name eq wmic.exe 2",
      "original-file-name eq wmic.exe 0",
      "command-line contains /node: 1",
    ])
    // `index` says which log the rule reads: its log source, not an indicator.
    expect(rows(t, 1)).toEqual(["process-name eq WMIC.EXE 2"])
    expect(t.logSources[1]).toEqual(["index=win"])
    // A different meaning is a different indicator.
    expect(rows(t, 3)).toEqual(["parent-name eq wmic.exe 0"])
    expect(t.byKey.get(keyOf("process-name", "eq", "Wmic.Exe"))?.rules).toEqual([0, 1, 2])
  })

  it("counts a rule once however often it tests the indicator", () => {
    const t = buildIndicatorTable([
      rule("a", "process_name=x.exe OR (process_name=X.EXE user=y)"),
      rule("b", "process_name=x.exe"),
    ])
    expect(rows(t, 0)).toEqual(["process-name eq x.exe 1", "user eq y 0"])
    expect(t.byKey.get(keyOf("process-name", "eq", "x.exe"))?.rules).toEqual([0, 1])
  })

  it("keeps negated indicators apart from positive ones and kinds apart", () => {
    const t = buildIndicatorTable([
      rule("a", "process_name=x.exe"),
      rule("b", "NOT process_name=x.exe"),
      rule("c", "process_name=*x.exe"),
    ])
    expect(rows(t, 0)).toEqual(["process-name eq x.exe 0"])
    expect(rows(t, 1)).toEqual(["process-name not-eq x.exe 0"])
    expect(rows(t, 2)).toEqual(["process-name endswith x.exe 0"])
  })

  it("gives rules without an analysis no rows, and they never count", () => {
    const none = { format: "splunk", slug: "n", name: "n", search: "" } as Detection
    const t = buildIndicatorTable([none, rule("a", "user=x")])
    expect(t.byRule[0]).toEqual([])
    expect(rows(t, 1)).toEqual(["user eq x 0"])
  })

  it("ships compact rows and rule references", () => {
    const t = buildIndicatorTable([rule("a", "user=x"), rule("b", "user=X")])
    const data = indicatorData(t, [rule("a", "user=x"), rule("b", "user=X")])
    expect(data.rules).toEqual([
      { name: "a", slug: "a", format: "splunk" },
      { name: "b", slug: "b", format: "splunk" },
    ])
    expect(data.rows).toEqual([{ field: "user", fields: ["user"], kind: "eq", value: "x", rules: [0, 1] }])
  })

  it("reads a path's `endswith \\name` as the name, across formats, raw fields kept beside", () => {
    const sigma = {
      ...rule("s", "index=x"),
      format: "sigma",
      analysis: { ...rule("s", 'Image="*\\wmic.exe"').analysis!, detail: { format: "sigma" } },
    } as Detection
    const t = buildIndicatorTable([rule("a", "process_name=wmic.exe"), sigma, rule("c", 'process_path="*\\WMIC.exe"')])
    expect(rows(t, 1)).toEqual(["process-name eq wmic.exe 2"])
    const e = t.byKey.get(keyOf("process-name", "eq", "wmic.exe"))
    expect(e?.fields).toEqual(["process_name", "Image", "process_path"])
    expect(e?.byFormat).toEqual({ splunk: 2, sigma: 1 })
    // A suffix that is not a whole path component stays a path test.
    expect(rows(buildIndicatorTable([rule("d", 'process_path="*wmic.exe"')]), 0)).toEqual([
      "process-path endswith wmic.exe 0",
    ])
  })

  it("shows ECS plumbing as the log source, and event.action as an indicator unless it restates the event's kind", () => {
    const t = buildIndicatorTable([
      rule(
        "a",
        'event.category=process event.type=start event.outcome=success host.os.type=windows event.action=exec data_stream.dataset="endpoint.events.process" process.name=wmic.exe',
      ),
      rule("b", "event.provider=iam.amazonaws.com event.action=DeleteTrail"),
      rule("c", "sourcetype=aws:cloudtrail eventName=DeleteTrail"),
    ])
    expect(rows(t, 0)).toEqual(["process-name eq wmic.exe 0"])
    expect(t.logSources[0]).toEqual([
      "event.category=process",
      "event.type=start",
      "event.outcome=success",
      "host.os.type=windows",
      "event.action=exec",
      "data_stream.dataset=endpoint.events.process",
    ])
    // An API call is what happened: one indicator whether ECS or CloudTrail names the field.
    expect(rows(t, 1)).toEqual(["event-action eq DeleteTrail 1"])
    expect(t.logSources[1]).toEqual(["event.provider=iam.amazonaws.com"])
    expect(rows(t, 2)).toEqual(["event-action eq DeleteTrail 1"])
  })

  it("leaves a field's presence out: it names no value", () => {
    const t = buildIndicatorTable([rule("a", "process_name=x.exe registry_value_data=* NOT process_path=*")])
    expect(rows(t, 0)).toEqual(["process-name eq x.exe 0"])
  })

  it("builds URL-encoded indicator links", () => {
    expect(indicatorPath({ field: "process", kind: "contains", value: "/node: a&b" })).toBe(
      "/indicators/?field=process&kind=contains&value=%2Fnode%3A+a%26b",
    )
  })
})
