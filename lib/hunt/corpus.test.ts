/**
 * Real security_content rules over generated logs: the multi-event stages decide what one event
 * cannot. The rules are read from ../shared/corpora (copied with the macros and data sources
 * into a temporary content folder, so only they load); skipped when the corpus is absent.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { buildProcessEvents } from "../events/process.ts"
import { compileHunt, Hunter, type HuntCatalog } from "./hunt.ts"

const CORPUS = join(import.meta.dirname, "../../../shared/corpora/security_content")
const present = existsSync(join(CORPUS, "detections"))
if (!present)
  console.warn(`lib/hunt/corpus.test.ts: ${CORPUS} is absent; the corpus rules over generated logs are skipped`)

const RULES = ["endpoint/excessive_usage_of_cacls_app.yml", "endpoint/unusually_long_command_line.yml"]
const CACLS = "Excessive Usage Of Cacls App"
const LONG = "Unusually Long Command Line"

let root: string
let catalog: HuntCatalog

beforeAll(() => {
  if (!present) return
  root = mkdtempSync(join(tmpdir(), "atlas-hunt-"))
  for (const dir of ["macros", "data_sources"]) cpSync(join(CORPUS, dir), join(root, dir), { recursive: true })
  mkdirSync(join(root, "detections/endpoint"), { recursive: true })
  for (const r of RULES) cpSync(join(CORPUS, "detections", r), join(root, "detections", r))
  const loaded = loadCatalog({ roots: [root] })
  catalog = compileHunt(loaded.detections, loaded.lookupTables ? { lookupTables: loaded.lookupTables } : {})
})
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true })
})

const T0 = Date.parse("2026-01-05T08:00:00Z") / 1000

/** A hunt over process events: [seconds after T0, command line, user, host]. */
function hunt(events: Array<[number, string, string, string]>) {
  const h = new Hunter(catalog)
  for (const [dt, cmd, user, host] of events)
    h.push(
      { built: buildProcessEvents({ cmd, parent: "C:\\Windows\\System32\\cmd.exe /c fix.bat", user, host }) },
      T0 + dt,
    )
  return h.finish()
}

const icacls = (n: number, at: (i: number) => number, user = "CORP\\bob", host = "ws-007") =>
  Array.from({ length: n }, (_, i): [number, string, string, string] => [
    at(i),
    `icacls.exe C:\\Shares\\s${i} /deny Everyone:F`,
    user,
    host,
  ])

const noise = Array.from({ length: 50 }, (_, i): [number, string, string, string] => [
  i * 7,
  `notepad.exe n${i}.txt`,
  "CORP\\bob",
  "ws-007",
])

describe.skipIf(!present)(
  "Excessive Usage Of Cacls App (tstats count by parent, dest, user, _time span=1m | where count >= 10)",
  () => {
    it("runs over the log", () => {
      const rule = catalog.rules.find((r) => r.detection.name === CACLS)
      expect(rule?.mode, JSON.stringify(catalog.notHunted)).toBe("log")
    })
    it("fires on 10 icacls.exe runs in one minute by one user on one host", () => {
      const report = hunt([...noise, ...icacls(10, (i) => 120 + i * 5)])
      const hit = report.rules.find((r) => r.name === CACLS)
      expect(hit?.hits).toBe(1)
      expect(hit?.eventCount).toBe(10)
      expect(hit?.events).toEqual(Array.from({ length: 10 }, (_, i) => 50 + i))
      expect(hit?.first).toBe(T0 + 120)
      expect(hit?.last).toBe(T0 + 165)
      expect(hit?.entities).toEqual(expect.arrayContaining([{ field: "dest", value: "ws-007", hits: 1 }]))
      expect(hit?.rows?.[0]?.row).toMatchObject({
        count: "10",
        dest: "ws-007",
        user: "CORP\\bob",
        process_name: "icacls.exe",
      })
      expect(report.risk.entities).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: "dest", value: "ws-007" })]),
      )
      expect(report.attack.map((t) => t.id)).toContain("T1222")
    })
    it("does not fire on 9", () => {
      expect(hunt([...noise, ...icacls(9, (i) => 120 + i * 5)]).rules.find((r) => r.name === CACLS)).toBeUndefined()
    })
    it("does not fire on 10 spread over two minutes, two users or two hosts", () => {
      const split = (a: number) => icacls(10, (i) => a + i * 5)
      expect(hunt(split(100)).rules.find((r) => r.name === CACLS)).toBeUndefined() // 08:01:40 .. 08:02:25
      expect(
        hunt([...icacls(5, (i) => 120 + i), ...icacls(5, (i) => 130 + i, "CORP\\eve")]).rules.find(
          (r) => r.name === CACLS,
        ),
      ).toBeUndefined()
      expect(
        hunt([...icacls(5, (i) => 120 + i), ...icacls(5, (i) => 130 + i, "CORP\\bob", "ws-008")]).rules.find(
          (r) => r.name === CACLS,
        ),
      ).toBeUndefined()
    })
    it("counts two bursts as two hits", () => {
      const report = hunt([...icacls(12, (i) => 60 + i), ...icacls(10, (i) => 600 + i, "CORP\\eve", "ws-009")])
      expect(report.rules.find((r) => r.name === CACLS)?.hits).toBe(2)
    })
  },
)

describe.skipIf(!present)(
  "Unusually Long Command Line (eval len | eventstats avg, stdev by dest | where maxlen > 3 stdev + avg)",
  () => {
    // 20 ordinary command lines of 20 to 30 characters on one host, each its own tstats row.
    const flat = Array.from({ length: 20 }, (_, i): [number, string, string, string] => [
      i * 30,
      `ping.exe -n 1 ${"h".repeat(5 + (i % 10))}${i}`,
      "CORP\\bob",
      "ws-007",
    ])
    it("runs over the log", () => {
      expect(catalog.rules.find((r) => r.detection.name === LONG)?.mode, JSON.stringify(catalog.notHunted)).toBe("log")
    })
    it("fires on one command line far longer than the host's others", () => {
      const spike = `powershell.exe -nop -w hidden -c ${"A".repeat(1000)}`
      const report = hunt([...flat, [700, spike, "CORP\\bob", "ws-007"]])
      const hit = report.rules.find((r) => r.name === LONG)
      expect(hit?.hits).toBe(1)
      expect(hit?.events).toEqual([20])
      expect(hit?.rows?.[0]?.row).toMatchObject({ dest: "ws-007", process: spike })
    })
    it("does not fire on a flat series", () => {
      expect(flat.map((f) => f[1].length).every((n) => n >= 20 && n <= 30)).toBe(true)
      expect(hunt(flat).rules.find((r) => r.name === LONG)).toBeUndefined()
    })
    it("judges each host against its own figures", () => {
      const other = flat.map(([t, c]): [number, string, string, string] => [t, `${c} --verbose`, "CORP\\eve", "ws-009"])
      const spike = `powershell.exe -nop -w hidden -c ${"A".repeat(1000)}`
      const report = hunt([...flat, ...other, [700, spike, "CORP\\eve", "ws-009"]])
      expect(report.rules.find((r) => r.name === LONG)?.entities).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: "dest", value: "ws-009" })]),
      )
    })
  },
)
