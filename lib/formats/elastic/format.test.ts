import { describe, expect, it } from "vitest"

import type { AttackMapping, AttackResolver } from "../../model/types.ts"
import { elasticDetail, elasticFormat, elasticSections } from "./format.ts"
import { elasticTesting } from "./tester.ts"

const attack: AttackResolver = {
  resolve: (id): AttackMapping => ({ id, tactics: [], status: /^T1\d{3}(\.\d{3})?$/.test(id) ? "known" : "unknown" }),
  killChain: () => [],
}

const rule = (over: Record<string, string> = {}, query = 'process where process.name : "a.exe"') =>
  [
    "[metadata]",
    'creation_date = "2026/01/02"',
    `maturity = "${over.maturity ?? "production"}"`,
    "",
    "[rule]",
    'author = ["Us"]',
    'description = "Test rule."',
    `language = "${over.language ?? "eql"}"`,
    'name = "Test rule"',
    `risk_score = ${over.risk ?? "47"}`,
    'rule_id = "0b0c0d0e-0000-4000-8000-000000000001"',
    `severity = "${over.severity ?? "medium"}"`,
    'tags = ["OS: Windows", "Data Source: Sysmon"]',
    `type = "${over.type ?? "eql"}"`,
    "query = '''",
    query,
    "'''",
    "",
    "[[rule.threat]]",
    'framework = "MITRE ATT&CK"',
    "[[rule.threat.technique]]",
    'id = "T1059"',
    'name = "Command and Scripting Interpreter"',
    "[[rule.threat.technique.subtechnique]]",
    'id = "T1059.001"',
    'name = "PowerShell"',
    "[rule.threat.tactic]",
    'id = "TA0002"',
    'name = "Execution"',
    "",
  ].join("\n")

const load = (text: string, rel = "rules/windows/test_rule.toml") =>
  elasticFormat.load({ path: `x/${rel}`, rel, text }, { attack })

describe("Elastic format", () => {
  it("claims TOML files with a [rule] table only", () => {
    expect(elasticFormat.claims({ path: "a", rel: "rules/a.toml", text: rule() })).toBe(true)
    expect(elasticFormat.claims({ path: "a", rel: "pyproject.toml", text: "[tool]\nx = 1\n" })).toBe(false)
    expect(elasticFormat.claims({ path: "a", rel: "rules/a.yml", text: "[rule]\n" })).toBe(false)
  })

  it("maps a rule onto the Detection: id, slug, risk, ATT&CK with sub-techniques, data sources", () => {
    const r = load(rule())
    expect(r.file.status).toBe("loaded")
    const d = r.detections[0]!
    expect(d).toMatchObject({
      format: "elastic",
      id: "0b0c0d0e-0000-4000-8000-000000000001",
      slug: "test-rule",
      type: "EQL",
      status: "production",
      created: "2026-01-02",
      category: "windows",
    })
    expect(d.risk).toEqual({ score: 47, severity: "medium", entities: [] })
    expect(d.attack.map((a) => a.id)).toEqual(["T1059", "T1059.001"])
    expect(d.dataSources).toEqual(["Sysmon EventID 1", "Sysmon"])
    const detail = elasticDetail(d.analysis)!
    expect(detail.query.evaluable).toBe(true)
    expect(elasticSections(detail).map((s) => s.id)).toEqual([
      "elastic-rule",
      "elastic-threat",
      "elastic-tags",
      "elastic-fields",
    ])
  })

  it("reports a TOML syntax error at its line and column, and rejects the file", () => {
    const r = load('[rule]\nname = "x\n')
    expect(r.file.status).toBe("rejected")
    expect(r.diagnostics[0]).toMatchObject({ severity: "error", code: "toml-syntax", line: 2 })
    expect(r.diagnostics[0]!.column).toBeGreaterThan(0)
  })

  it("rejects schema errors with the line of the key", () => {
    const bad = load(rule({ risk: "140" }))
    expect(bad.file.status).toBe("rejected")
    expect(bad.diagnostics[0]).toMatchObject({ code: "schema", line: 10 })
    expect(bad.diagnostics[0]!.message).toMatch(/risk_score must be an integer from 0 to 100/)
    const lang = load(rule({ language: "kuery" }))
    expect(lang.diagnostics[0]!.message).toMatch(/language "kuery" does not fit rule.type "eql"/)
    expect(load(rule({ type: "magic" })).diagnostics[0]!.message).toMatch(/unknown rule.type "magic"/)
  })

  it("warns on a severity outside Elastic's convention and on a deprecated rule outside _deprecated/", () => {
    const r = load(rule({ risk: "73", maturity: "deprecated" }))
    expect(r.file.status).toBe("loaded")
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(["deprecated-location", "risk-convention"])
    expect(load(rule({ maturity: "deprecated" }), "rules/_deprecated/x.toml").detections[0]!.status).toBe("deprecated")
  })

  it("keeps a rule whose query is outside the subset, with the query's position in the file", () => {
    const r = load(rule({}, 'process where\n  process.name : "a" and and'))
    expect(r.file.status).toBe("loaded")
    const w = r.diagnostics.find((d) => d.code === "query-subset")!
    expect(w).toMatchObject({ severity: "warning", line: 17 })
    expect((r.detections[0]!.analysis as unknown as { multiEvent?: string }).multiEvent).toMatch(/does not parse/)
  })

  it("labels what one event cannot decide", () => {
    const seq = load(rule({}, "sequence by host.id [process where true] [network where true]")).detections[0]!
    const a = seq.analysis as unknown as {
      evaluability: { evaluable: boolean; category?: string }
      predicate: { op: string }
      stages: unknown[]
    }
    expect(a.evaluability).toMatchObject({ evaluable: false, category: "multi-event" })
    expect(a.predicate.op).toBe("or")
    expect(a.stages).toHaveLength(1)
    const esql = load(rule({ type: "esql", language: "esql" }, "FROM logs-* | STATS c = COUNT(*) BY host.name"))
      .detections[0]!
    expect((esql.analysis as unknown as { multiEvent?: string }).multiEvent).toMatch(/STATS/)
  })
})

describe("Elastic section of report.json", () => {
  it("counts what one event decides per rule type and language, naming the construct for the rest", () => {
    const rules = [
      rule(),
      rule({}, "process where cidrMatch(source.ip, destination.ip)"),
      rule({}, "sequence by host.id [process where true] [network where true]"),
      rule({ language: "kuery", type: "threshold" }, "event.category : process"),
    ].map((text) => load(text).detections[0]!)
    const report = elasticFormat.report!(rules).elastic as {
      evaluable: number
      byType: Record<string, { rules: number; evaluable: number; notEvaluable: Record<string, number> }>
    }
    expect(report.evaluable).toBe(1)
    expect(report.byType["eql/eql"]).toEqual({
      rules: 3,
      evaluable: 1,
      notEvaluable: {
        "one event cannot decide: cidrMatch() with a non-literal subnet": 1,
        "multi-event (sequence)": 1,
      },
    })
    expect(report.byType["threshold/kuery"]?.evaluable).toBe(0)
  })
})

describe("Elastic tester gate", () => {
  const gate = elasticTesting.tester.gate!
  const sourceOf = (query: string) => gate.ruleSource(load(rule({}, query)).detections[0]!.analysis!)
  it("reads the event category a rule requires, and admits only events of it", () => {
    expect(sourceOf('process where process.name : "a.exe"')).toBe("ecs:process")
    expect(sourceOf('any where process.name : "a.exe"')).toBe("ecs")
    expect(sourceOf('file where event.type == "creation"')).toBe("ecs:file")
    const proc = gate.eventSources({ "event.category": ["process"], "process.name": "a.exe" })!
    const net = gate.eventSources({ "event.category": "network", "destination.ip": "10.0.0.1" })!
    const bare = gate.eventSources({ "process.name": "a.exe" })!
    const xml = gate.eventSources({ Image: "C:\\a.exe", EventID: 1 })!
    expect(gate.admits("ecs:process", proc)).toBe(true)
    expect(gate.admits("ecs:process", net)).toBe(false)
    expect(gate.admits("ecs:file,process", proc)).toBe(true)
    expect(gate.admits("ecs", net)).toBe(true)
    // An ECS event naming no category reaches every rule; a non-ECS event none.
    expect(gate.admits("ecs:process", bare)).toBe(true)
    expect(gate.admits("ecs", xml)).toBe(false)
    // A built command line is a process start.
    expect(gate.admits("ecs:process", gate.builtSources)).toBe(true)
    expect(gate.admits("ecs:network", gate.builtSources)).toBe(false)
  })
})
