import { describe, expect, it } from "vitest"

import { compile, evaluate } from "../../predicate/index.ts"
import { processCreationEvent } from "./index.ts"
import { loadCatalog } from "../../catalog/load.node.ts"
import { sigmaCoverage } from "./report.ts"
import { testedEventIds } from "./record.ts"
import { sigmaDetail } from "./analysis.ts"
import { countBy, indexCatalog, ruleEventCoverage, ruleIndicators } from "../../catalog/views.ts"

describe("Sigma rules in the default catalog", () => {
  const catalog = loadCatalog({ roots: ["content"] })
  const index = indexCatalog(catalog)
  const sigma = catalog.detections.filter((d) => d.format === "sigma")

  it("loads every Sigma file with no diagnostic, correlations labelled", () => {
    expect(catalog.files.filter((f) => f.format === "sigma").every((f) => f.status === "loaded")).toBe(true)
    expect(catalog.diagnostics.filter((d) => d.path.includes("/sigma/"))).toEqual([])
    const cov = sigmaCoverage(catalog)
    expect(cov.correlations).toBe(1)
    expect(cov.compiled).toBe(sigma.length - 1)
    expect(cov.notEvaluable).toEqual([])
  })

  it("maps the WMI rule: level as severity, ATT&CK, Sysmon 1 and Security 4688 coverage", () => {
    const rule = index.ruleBySlug.get("sigma/proc-creation-win-wmic-remote-process-create")
    expect(rule?.risk.severity).toBe("high")
    expect(rule?.attack.map((a) => a.id)).toEqual(["T1047", "T1021.006"])
    expect(sigmaDetail(rule?.analysis)?.tactics).toEqual(["execution", "lateral-movement"])
    expect(ruleEventCoverage(index, rule!).map((r) => [r.provider, r.event, r.slug])).toEqual([
      ["Sysmon", "Event ID 1", "sysmon-eventid-1"],
      ["Security-Auditing", "Event ID 4688", "windows-event-log-security-4688"],
    ])
  })

  it("names the events of a service rule from the EventID it tests, not from negated filters", () => {
    const rule = index.ruleBySlug.get("sigma/win-security-scheduled-task-from-user-profile")
    expect(ruleEventCoverage(index, rule!).map((r) => `${r.provider} ${r.event} ${r.title}`)).toEqual([
      "Security-Auditing Event ID 4698 A scheduled task was created.",
    ])
    expect(
      testedEventIds({
        op: "not",
        arg: { op: "cmp", id: 1, field: "EventID", cmpOp: "=", value: "4624", lang: "search" },
      }),
    ).toEqual([])
  })

  it("types rules from detection.* tags and correlation documents", () => {
    expect(countBy(sigma, (d) => d.type)).toEqual([
      { key: "Detection", count: 6 },
      { key: "Correlation", count: 1 },
    ])
  })

  it("fires the WMI rule on the remote process command line, not on a local one", () => {
    const rule = index.ruleBySlug.get("sigma/proc-creation-win-wmic-remote-process-create")
    const c = compile(rule!.analysis!.predicate)
    expect(evaluate(c, processCreationEvent({ cmd: "wmic /node:10.0.0.5 process call create calc.exe" })).matched).toBe(
      true,
    )
    expect(
      evaluate(c, processCreationEvent({ cmd: "wmic /node:localhost process call create calc.exe" })).matched,
    ).toBe(false)
  })

  it("shares indicators with Splunk rules and counts them across formats", () => {
    const rule = index.ruleBySlug.get("sigma/proc-creation-win-wmic-remote-process-create")
    const rows = ruleIndicators(index, rule!)
    expect(rows.map((r) => `${r.field} ${r.raw} ${r.kind} ${r.value}`)).toContain(
      "command-line CommandLine contains  /node:",
    )
    // The Sigma rule's `Image|endswith: '\wmic.exe'` and the Splunk rules' `process_name=wmic.exe` are one row.
    const wmic = rows.find((r) => r.field === "process-name" && r.value.toLowerCase() === "wmic.exe")
    expect(wmic?.byFormat.splunk).toBeGreaterThan(0)
    expect(wmic?.byFormat.sigma).toBeGreaterThan(0)
    const entry = index.indicators.entries.find(
      (e) => e.field === "command-line" && e.kind === "contains" && e.value === "create",
    )
    expect(entry?.rules.map((i) => catalog.detections[i]?.format)).toContain("sigma")
  })

  it("lists Sigma rules on the data source they read", () => {
    const rules = index.rulesByDataSource.get("Sysmon EventID 1") ?? []
    expect(rules.some((d) => d.format === "sigma")).toBe(true)
  })
})
