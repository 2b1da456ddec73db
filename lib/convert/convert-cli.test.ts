import { spawnSync } from "node:child_process"
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { afterAll, describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { readSigmaText } from "../formats/sigma/index.ts"

const atlas = (...args: string[]) => spawnSync("npx", ["tsx", "lib/cli.ts", ...args], { encoding: "utf8" })
const tmp = mkdtempSync(join(tmpdir(), "atlas-convert-"))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

/** content/'s Sigma detection rules: id → title. */
function sigmaTitles(): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith(".yml") ? [join(dir, e.name)] : [],
    )
  for (const f of walk("content/sigma"))
    for (const { rule } of readSigmaText(f, readFileSync(f, "utf8")).rules)
      if (rule.id && rule.analysis.kind === "detection") out.set(rule.id, rule.title)
  return out
}

describe("atlas convert", () => {
  it("writes detections the Splunk loader reads back without errors, keeping the Sigma ids and titles", () => {
    const titles = sigmaTitles()
    for (const target of ["spl-raw", "spl-cim"]) {
      const root = join(tmp, target)
      const out = join(root, "detections", "endpoint")
      const r = atlas("convert", "--to", target, "content/sigma", "--out", out, "--json")
      expect(r.status, r.stderr).toBe(0)
      const summary = JSON.parse(r.stdout) as { converted: number; failed: Array<{ path: string; reason: string }> }
      expect(summary.converted).toBeGreaterThanOrEqual(3)
      for (const f of summary.failed) {
        expect(f.path).toMatch(/^content\/sigma\//)
        expect(f.reason).not.toBe("")
      }
      expect(readdirSync(out)).toHaveLength(summary.converted)
      const catalog = loadCatalog({ roots: [root] })
      expect(catalog.diagnostics.filter((d) => d.severity === "error")).toEqual([])
      // security_content's conventions: the file named after the title, the search ending in its tuning macro.
      expect(catalog.diagnostics.filter((d) => d.code === "file-name" || d.code === "filter-macro")).toEqual([])
      expect(catalog.detections).toHaveLength(summary.converted)
      for (const d of catalog.detections) {
        expect(d.format).toBe("splunk")
        expect(titles.get(d.id), d.id).toBe(d.name)
        expect(d.analysis?.evaluability.evaluable, d.search).toBe(true)
      }
      if (target === "spl-raw") {
        // Every Windows rule of content/ has a raw source; only the Linux rule and the correlation fail.
        expect(summary.failed.map((f) => f.reason).join("\n")).toMatch(/linux/)
      }
    }
  }, 120_000)

  it("writes a data-model search for a rule reading a field the data model lacks, which the loader reads back and judges", () => {
    const src = join(tmp, "sigma-description")
    mkdirSync(src, { recursive: true })
    writeFileSync(
      join(src, "proc_creation_win_renamed_wmic_by_description.yml"),
      [
        "title: Renamed WMIC By Its Description",
        "id: 0f7f3c1e-6b8e-4d6a-9a53-1d2b8c4e7a10",
        "status: test",
        "logsource:",
        "    category: process_creation",
        "    product: windows",
        "detection:",
        "    selection:",
        "        Description: 'WMI Commandline Utility'",
        "    filter:",
        "        Image|endswith: '\\wmic.exe'",
        "    condition: selection and not filter",
        "level: medium",
        "",
      ].join("\n"),
    )
    const root = join(tmp, "cim-datamodel")
    const r = atlas("convert", "--to", "spl-cim", src, "--out", join(root, "detections", "endpoint"), "--json")
    expect(r.status, r.stderr).toBe(0)
    const catalog = loadCatalog({ roots: [root] })
    expect(catalog.diagnostics.filter((d) => d.severity === "error")).toEqual([])
    const [d] = catalog.detections
    expect(d?.search).toMatch(
      /^\| datamodel Endpoint Processes search strict_fields=false\n``` Not tstats: Description /,
    )
    expect(d?.analysis?.evaluability.evaluable, d?.search).toBe(true)
  }, 60_000)

  it("prints a summary for people and refuses a missing target or folder", () => {
    const r = atlas(
      "convert",
      "--to",
      "spl-raw",
      "content/sigma/windows/process_creation",
      "--out",
      join(tmp, "people"),
    )
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^converted 3 rules to spl-raw in .*; 0 not converted\n$/)
    const bad = atlas("convert", "--to", "kql", "content/sigma", "--out", join(tmp, "x"))
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain('--to expects spl-raw or spl-cim, got "kql"')
    const missing = atlas("convert", "--to", "spl-cim", "no/such/dir", "--out", join(tmp, "x"))
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain("no such file or folder: no/such/dir")
  }, 60_000)

  it("runs each Sigma rule's translations beside it in match --spl", () => {
    const cmd = "wmic /node:10.0.0.5 process call create calc.exe"
    const human = atlas("match", "--cmd", cmd, "--spl", "--near", "0")
    expect(human.status, human.stderr).toBe(0)
    expect(human.stdout).toMatch(
      /SPL translations: \d+ Sigma rules judged beside their translations; every translation agrees/,
    )
    expect(human.stdout).toContain(
      "WMIC Starts a Process on Another Host  (proc-creation-win-wmic-remote-process-create): Sigma fires; spl-raw fires, spl-cim fires",
    )
    const json = atlas("match", "--cmd", cmd, "--spl", "--json")
    const fired = JSON.parse(json.stdout) as Array<{ format: string; name: string; spl?: Record<string, unknown> }>
    const wmic = fired.find((f) => f.name === "WMIC Starts a Process on Another Host")
    expect(wmic?.spl).toEqual({ "spl-raw": true, "spl-cim": true })
    expect(fired.filter((f) => f.format !== "sigma").every((f) => f.spl === undefined)).toBe(true)
  }, 60_000)
})
