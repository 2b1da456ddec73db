/**
 * The catalog of the three real corpora (security_content, Sigma, Elastic) together: indicators
 * meet across formats by meaning, the top of /indicators/ is what rules look for rather than log
 * plumbing, the Elastic WMI rule's page shows what its file says, `atlas match` fires the rules of
 * every format on the WMI output-capture command line, and report.json counts what one event
 * decides. Skips with a message when a corpus is absent.
 */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { loadAttackIndex } from "../attack/load.node.ts"
import { isLogSourceTest } from "../events/mappings.ts"
import { loadCatalog } from "./load.node.ts"
import { buildReport } from "./report.ts"
import { rulePageView } from "./rule-page-view.ts"
import { indexCatalog } from "./views.ts"

const CORPORA = join(import.meta.dirname, "../../../shared/corpora")
const ROOTS = ["security_content", "sigma", "elastic"].map((r) => join(CORPORA, r))
const present = ROOTS.every((r) => existsSync(r))
if (!present) console.warn(`three-corpus tests skipped: one of ${ROOTS.join(", ")} is absent`)

const WMI_CMD = "cmd.exe /Q /c whoami 1> \\\\127.0.0.1\\ADMIN$\\__1733.5 2>&1"
const WMI_PARENT = "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe"
const ELASTIC_WMI = "Suspicious Cmd Execution via WMI"

describe.skipIf(!present)("three corpora together", () => {
  const catalog = present ? loadCatalog({ roots: ROOTS }) : undefined
  const index = catalog && indexCatalog(catalog)
  const ruleIndex = (name: string, format: string) =>
    catalog?.detections.findIndex((d) => d.name === name && d.format === format) ?? -1

  it("counts wmic.exe as a process name in one row, with rules of all three formats", () => {
    if (!index) return
    const rows = index.indicators.entries.filter(
      (e) => e.field === "process-name" && e.kind === "eq" && e.value.toLowerCase() === "wmic.exe",
    )
    expect(rows).toHaveLength(1)
    const byFormat = rows[0]!.byFormat
    console.log(`wmic.exe as a process name: ${JSON.stringify(byFormat)}, raw fields ${rows[0]!.fields.join(", ")}`)
    for (const f of ["splunk", "sigma", "elastic"]) expect(byFormat[f] ?? 0, f).toBeGreaterThan(0)
  })

  it("counts the Sigma rules testing /node: on the Splunk WMI rule's indicator", () => {
    if (!index) return
    const at = ruleIndex("Remote Process Instantiation via WMI", "splunk")
    expect(at).toBeGreaterThanOrEqual(0)
    const node = index.indicators.byRule[at]!.find((r) => r.value.toLowerCase() === "/node:")
    expect(node, "the rule's /node: indicator").toBeDefined()
    console.log(`/node: on the Splunk WMI rule: corpus count ${node!.corpusCount}, ${JSON.stringify(node!.byFormat)}`)
    expect(node!.field).toBe("command-line")
    expect(node!.corpusCount).toBeGreaterThan(0)
    expect(node!.byFormat.sigma ?? 0).toBeGreaterThan(0)
  })

  it("tops /indicators/ with what rules look for, not with log-source plumbing", () => {
    if (!index) return
    const top = [...index.indicators.entries].sort((a, b) => b.rules.length - a.rules.length).slice(0, 30)
    console.log(
      "top 30 of /indicators/:\n" +
        top
          .map((e) => `  ${e.rules.length}\t${e.field} ${e.kind} ${e.value}\t${JSON.stringify(e.byFormat)}`)
          .join("\n"),
    )
    for (const e of top) {
      // A field no mapping names keeps its raw name: every one at the top is a known meaning or event.action.
      expect(
        e.fields.every((f) => !isLogSourceTest(f, e.value)),
        `${e.field} ${e.value}`,
      ).toBe(true)
      expect(e.field, `${e.field} ${e.value}`).not.toMatch(
        /^(event\.(category|type|outcome|kind|module|dataset)|data_stream\.|host\.os\.)/,
      )
      expect(e.value.trim().length, `${e.field}: an empty value`).toBeGreaterThan(0)
    }
  })

  it("shows the Elastic WMI rule's page: T1047, severity high, risk 73, its EQL and predicate, indicators across formats", () => {
    if (!index || !catalog) return
    const at = ruleIndex(ELASTIC_WMI, "elastic")
    expect(at).toBeGreaterThanOrEqual(0)
    const rule = catalog.detections[at]!
    const view = rulePageView(index, loadAttackIndex(), rule)
    expect(view.attackRows.map((r) => r.id)).toContain("T1047")
    expect(rule.risk.severity).toBe("high")
    expect(rule.risk.score).toBe(73)
    expect(rule.search).toMatch(/process where host\.os\.type == "windows"/)
    expect(rule.analysis?.stages[0]?.command).toBe("eql")
    expect(rule.analysis?.evaluability.evaluable).toBe(true)
    expect(JSON.stringify(rule.analysis?.predicate)).toContain("WmiPrvSE.exe")
    const formats = new Set(view.indicators.flatMap((r) => Object.keys(r.byFormat)))
    console.log(
      `${ELASTIC_WMI}: indicators\n` +
        view.indicators
          .map((r) => `  ${r.field} ${r.kind} ${r.value}: ${r.corpusCount} ${JSON.stringify(r.byFormat)}`)
          .join("\n") +
        `\n  log source: ${view.logSource.join(", ")}`,
    )
    expect([...formats].sort()).toEqual(["elastic", "sigma", "splunk"])
    expect(view.indicators.some((r) => r.corpusCount > 0)).toBe(true)
    // Its ECS plumbing is its log source, not an indicator.
    expect(view.logSource.some((s) => s.startsWith("host.os.type"))).toBe(true)
    expect(view.indicators.some((r) => r.raw === "host.os.type" || r.raw === "event.type")).toBe(false)
  })

  it("counts what one event decides, per Elastic rule type and language, with the reasons for the rest", () => {
    if (!catalog) return
    const report = buildReport(catalog, { strict: false }) as unknown as {
      elastic: {
        rules: number
        evaluable: number
        byType: Record<string, { rules: number; evaluable: number; notEvaluable: Record<string, number> }>
      }
    }
    const e = report.elastic
    console.log(
      `Elastic: ${e.evaluable} of ${e.rules} rules decided on one event\n${JSON.stringify(e.byType, null, 1)}`,
    )
    expect(e.rules).toBeGreaterThanOrEqual(2100)
    expect(e.evaluable).toBeGreaterThan(0)
    for (const [k, t] of Object.entries(e.byType)) {
      const reasons = Object.values(t.notEvaluable).reduce((a, b) => a + b, 0)
      expect(t.evaluable + reasons, k).toBe(t.rules)
    }
    expect(Object.keys(e.byType)).toEqual(expect.arrayContaining(["eql/eql", "query/kuery", "esql/esql"]))
  })

  it("fires the Elastic WMI rule and the matching Splunk and Sigma rules from `atlas match`", () => {
    const r = spawnSync(
      "npx",
      ["tsx", "lib/cli.ts", "match", "--content", ROOTS.join(","), "--cmd", WMI_CMD, "--parent", WMI_PARENT, "--json"],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
    )
    expect(r.status, r.stderr).toBe(0)
    const fired = JSON.parse(r.stdout) as Array<{ name: string; format: string }>
    console.log(`atlas match fired:\n${fired.map((f) => `  ${f.format}: ${f.name}`).join("\n")}`)
    expect(fired).toContainEqual(expect.objectContaining({ name: ELASTIC_WMI, format: "elastic" }))
    // The rules written for the same Impacket-style WMI output capture, in the other two formats.
    expect(fired).toContainEqual(
      expect.objectContaining({ name: "Impacket Lateral Movement WMIExec Commandline Parameters", format: "splunk" }),
    )
    expect(fired).toContainEqual(
      expect.objectContaining({ name: "HackTool - Potential Impacket Lateral Movement Activity", format: "sigma" }),
    )
    expect(fired).toContainEqual(
      expect.objectContaining({ name: "Suspicious Redirection to Local Admin Share", format: "sigma" }),
    )
  }, 180_000)
})
