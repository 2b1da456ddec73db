import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { afterAll, describe, expect, it } from "vitest"

import { loadCatalog } from "./load.node.ts"
import { buildReport, formatDiagnostic } from "./report.ts"
import type { Catalog, Detection } from "./types.ts"

const TREE = "lib/catalog/__fixtures__/tree"

const catalog: Catalog = loadCatalog({ roots: [TREE] })
const rule = (name: string): Detection => {
  const d = catalog.detections.find((x) => x.name === name)
  if (!d) throw new Error(`fixture rule ${name} not loaded`)
  return d
}
const diagnosticsFor = (file: string) => catalog.diagnostics.filter((d) => d.path.endsWith(file))

describe("2024 tags generation", () => {
  const d = rule("Fixture WMIC Remote Launch")
  it("is recognised and normalised", () => {
    expect(d.generation).toBe("tags")
    expect(d.slug).toBe("fixture-wmic-remote-launch")
    expect(d.created).toBe("2024-03-02")
    expect(d.category).toBe("endpoint")
    expect(d.stories).toEqual(["Fixture Lateral Movement"])
  })
  it("recomputes the risk score from impact and confidence, ignoring the stored one", () => {
    expect(d.risk.legacy).toEqual({ impact: 70, confidence: 70, score: 49, product: 49 })
    expect(d.risk.score).toBe(49)
    expect(d.risk.severity).toBe("medium")
  })
  it("converts observables as contentctl v4 did, User Name becoming other", () => {
    expect(d.risk.entities).toEqual([
      { field: "dest", type: "system", score: 49, role: "risk", origin: "observable" },
      { field: "user", type: "other", score: 49, role: "risk", origin: "observable" },
      { field: "process", type: "process", role: "threat", origin: "observable" },
    ])
  })
  it("resolves ATT&CK and derives kill chain, NIST and CIS", () => {
    expect(d.attack).toEqual([
      { id: "T1047", name: "Windows Management Instrumentation", tactics: ["execution"], status: "known" },
    ])
    expect(d.killChain).toEqual(["Installation"])
    expect(d.nist).toEqual(["DE.CM"])
    expect(d.cis).toEqual(["CIS 10"])
  })
  it("lists the macros its search calls", () => {
    expect(d.macros).toEqual([
      "security_content_summariesonly",
      "process_wmic",
      "drop_dm_object_name",
      "security_content_ctime",
      "fixture_wmic_remote_launch_filter",
    ])
  })
})

describe("2025 rba generation", () => {
  const d = rule("Fixture WinRS Remote Shell")
  it("reads risk and threat objects and takes the highest score", () => {
    expect(d.generation).toBe("rba")
    expect(d.risk.score).toBe(40)
    expect(d.risk.entities.map((e) => [e.field, e.role, e.score])).toEqual([
      ["dest", "risk", 40],
      ["user", "risk", 25],
      ["process", "threat", undefined],
    ])
  })
  it("splits data sources on AND and resolves drifted names", () => {
    expect(d.dataSources).toEqual(["Sysmon EventID 1", "Windows Event Log Security 4688"])
    expect(d.dataSourceGroups).toEqual([["Sysmon EventID 1", "Windows Event Log Security 4688"]])
    expect(diagnosticsFor("fixture_winrs_remote_shell.yml").map((x) => x.code)).toContain("data-source-alias")
  })
  it("keeps an unknown technique as written and flags it", () => {
    expect(d.attack.find((a) => a.id === "T9999")).toEqual({ id: "T9999", tactics: [], status: "unknown" })
    const warning = diagnosticsFor("fixture_winrs_remote_shell.yml").find((x) => x.code === "attack-unknown")
    expect(warning?.line).toBe(38)
  })
})

describe("2026 finding generation", () => {
  const d = rule("Fixture Console Login Without MFA")
  it("reads creation and modification dates and top-level mappings", () => {
    expect(d.generation).toBe("finding")
    expect(d.created).toBe("2021-11-11")
    expect(d.modified).toBe("2026-05-13")
    expect(d.securityDomain).toBe("identity")
    expect(d.category).toBe("cloud")
    expect(d.tests[0]?.type).toBe("unit")
  })
  it("takes the finding entity and intermediate findings as risk objects", () => {
    expect(d.risk.entities.map((e) => [e.field, e.type, e.score, e.origin])).toEqual([
      ["user", "user", 50, "finding"],
      ["src", "system", 30, "intermediate_findings"],
    ])
    expect(d.risk.score).toBe(50)
    expect(d.risk.message).toBe("Console login without MFA by $user$")
    expect(d.risk.title).toBe("$user$ signed in to the console without MFA from $src$")
  })
  it("flags a revoked technique with its replacement", () => {
    expect(d.attack[1]).toMatchObject({ id: "T1574.002", status: "revoked", replacedBy: "T1574.001" })
  })
  it("reports a data source name no file defines, without dropping the rule", () => {
    expect(catalog.unresolvedDataSources).toEqual([{ name: "AWS CloudTrail ConsoleLogin", detections: [d.id] }])
    expect(rule("Fixture WMIC Remote Launch").dataSourceGroups).toEqual([
      ["Sysmon EventID 1"],
      ["Windows Event Log Security 4688"],
      ["CrowdStrike ProcessRollup2"],
    ])
  })
})

describe("broken files", () => {
  it("reports bad YAML with its line and rejects the file", () => {
    const [d] = diagnosticsFor("fixture_bad_yaml.yml")
    expect(d?.severity).toBe("error")
    expect(d?.code).toBe("yaml-syntax")
    expect(d?.line).toBeGreaterThan(0)
    expect(catalog.files.find((f) => f.path.endsWith("fixture_bad_yaml.yml"))?.status).toBe("rejected")
  })
  it("reports wrong types at the offending key", () => {
    const ds = diagnosticsFor("fixture_wrong_types.yml")
    expect(ds.map((d) => formatDiagnostic(d))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/fixture_wrong_types\.yml:3:\d+: error: version: expected number/),
      ]),
    )
    expect(ds.some((d) => d.message.startsWith("tags.impact") && d.line === 16)).toBe(true)
  })
  it("reports a missing required key", () => {
    const ds = diagnosticsFor("fixture_missing_search.yml")
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("search: required key is missing")])
  })
  it("rejects a duplicate id, naming the file that keeps it", () => {
    const [d] = diagnosticsFor("fixture_duplicate_id.yml").filter((x) => x.code === "duplicate-id")
    expect(d?.message).toContain("fixture_wmic_remote_launch.yml")
    expect(catalog.detections.filter((x) => x.name === "Fixture Duplicate Id")).toHaveLength(0)
    expect(rule("Fixture WMIC Remote Launch").path).toContain("endpoint/fixture_wmic_remote_launch.yml")
  })
  it("rejects duplicate keys and empty files", () => {
    expect(diagnosticsFor("fixture_duplicate_key.yml")[0]).toMatchObject({ code: "duplicate-key", line: 2 })
    expect(diagnosticsFor("fixture_empty.yml")[0]).toMatchObject({ code: "empty-file" })
  })
  it("warns on an unknown macro and an unknown story, keeping the rule", () => {
    const codes = diagnosticsFor("fixture_unknown_macro.yml").map((d) => `${d.severity}:${d.code}`)
    expect(codes).toContain("warning:unknown-story")
    expect(codes.some((c) => /macro/.test(c))).toBe(true)
    expect(rule("Fixture Unknown Macro").status).toBe("production")
  })
  it("repairs a quoted scalar continued at column 1, as PyYAML reads it", () => {
    const m = catalog.macros.find((x) => x.name === "fixture_multiline")
    expect(m?.definition).toBe("eval a=1 | eval b=2")
    expect(diagnosticsFor("fixture_multiline.yml")[0]).toMatchObject({ severity: "warning", code: "yaml-repaired" })
  })
})

describe("accounting", () => {
  it("accounts for every file of the tree", () => {
    const report = buildReport(catalog, { strict: false })
    expect(report.counts.files).toBe(24)
    expect(report.counts.detections).toBe(4)
    expect(catalog.files.find((f) => f.path.endsWith("fixture_extensions.csv"))?.reason).toBe(
      "table data of lookup fixture_extensions",
    )
    expect(catalog.files.find((f) => f.path.endsWith("orphan_table.csv"))?.reason).toMatch(/no lookup definition/)
    expect(catalog.files.find((f) => f.path.endsWith("README.txt"))?.status).toBe("ignored")
    const rejected = report.byKind.find((k) => k.kind === "detection")
    expect(rejected).toMatchObject({ loaded: 4, rejected: 6 })
  })
  it("reads the event coverage of EDR sources too", () => {
    const cs = catalog.dataSources.find((s) => s.name === "CrowdStrike ProcessRollup2")
    expect(cs?.coverage).toEqual({
      provider: "CrowdStrike",
      event: "ProcessRollup2",
      title: "Process creation",
      dataSource: "CrowdStrike ProcessRollup2",
    })
    const sysmon = catalog.dataSources.find((s) => s.name === "Sysmon EventID 1")
    expect(sysmon?.coverage).toMatchObject({ provider: "Sysmon", event: "Event ID 1", title: "Process creation" })
    const sec = catalog.dataSources.find((s) => s.name === "Windows Event Log Security 4688")
    expect(sec?.coverage).toMatchObject({
      provider: "Security-Auditing",
      event: "Event ID 4688",
      title: "A new process has been created.",
    })
  })
})

describe("walking", () => {
  const dir = mkdtempSync(join(tmpdir(), "atlas-walk-"))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  it("survives a symlink loop, binary and non-UTF-8 files, and a missing root", () => {
    cpSync(`${TREE}/macros`, join(dir, "macros"), { recursive: true })
    symlinkSync(dir, join(dir, "macros", "loop"))
    cpSync(`${TREE}/detections/endpoint/fixture_wmic_remote_launch.yml`, join(dir, "macros", "binary.yml"))
    writeFileSync(join(dir, "macros", "binary.yml"), Buffer.from([0x6e, 0x00, 0x01]))
    writeFileSync(join(dir, "macros", "latin1.yml"), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9]))
    const c = loadCatalog({ roots: [dir, join(dir, "absent")] })
    const messages = c.diagnostics.map((d) => `${d.code}: ${d.message}`)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining("symbolic link loop"),
        expect.stringContaining("binary file"),
        expect.stringContaining("not valid UTF-8"),
        expect.stringContaining("missing-root"),
      ]),
    )
    expect(c.macros.map((m) => m.name)).toContain("process_wmic")
  })
})
