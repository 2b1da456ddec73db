/**
 * `npx tsx scripts/bench-tester.ts [--reference] [--browser]`: prints figures, asserts nothing.
 * Loads the real corpus from ../shared/corpora/security_content (or CATALOG_CONTENT), compiles
 * the tester catalog once and reports the median / p95 time of matchEvent (one built process
 * event against every rule) for a few representative command lines, with and without near
 * misses (200 runs each), and the size of the rules payload as it ships (the chunk files, raw and
 * gzipped one by one, per rule and per format; and what a command line fetches). `--reference`
 * also times matchEventReference (the straightforward evaluation); `--browser` runs the same
 * engine in Chromium (bundled with esbuild) on what the worker loads for a command line.
 */
import { existsSync } from "node:fs"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { benchTesterBrowser, benchTesterNode, printTable, testerPayloadSize } from "./bench/tester.ts"

const CORPUS = process.env.CATALOG_CONTENT ?? "../shared/corpora/security_content"
if (!existsSync(CORPUS.split(",")[0] ?? "")) {
  console.log(`bench-tester: ${CORPUS} is absent; nothing to measure`)
  process.exit(0)
}

const t0 = performance.now()
const catalog = loadCatalog({ roots: CORPUS.split(",") })
const loadMs = performance.now() - t0
const node = benchTesterNode(catalog.detections, { reference: process.argv.includes("--reference") })
console.log(
  `corpus ${CORPUS}: ${catalog.detections.length} detections, ${node.rules} analysed; load ${loadMs.toFixed(0)} ms, compileCatalog ${node.compileMs.toFixed(0)} ms`,
)
printTable([
  ["case", "impl", "near misses", "median ms", "p95 ms", "fired", "near", "undecided"],
  ...node.rows.map((r) => [
    r.label,
    r.impl,
    r.nearMisses ? "yes" : "no",
    r.median.toFixed(3),
    r.p95.toFixed(3),
    String(r.fired),
    String(r.near),
    String(r.undecided),
  ]),
])

const payload = testerPayloadSize(catalog)
const perRule = (n: number, rules = catalog.detections.length) => `${(n / rules).toFixed(1)} B`
console.log(
  `\ntester rules payload, chunk files as shipped: ${(payload.raw / 1024).toFixed(0)} KB raw, ${(payload.gz / 1024).toFixed(0)} KB gzipped file by file (per rule ${perRule(payload.raw)} raw, ${perRule(payload.gz)} gzipped; by format ${payload.formats.map((f) => `${f.format} ${perRule(f.gz, f.rules)}`).join(", ")}); what a command line fetches ${(payload.cmdRaw / 1024).toFixed(0)} KB raw, ${(payload.cmdGz / 1024).toFixed(0)} KB gzipped`,
)

if (process.argv.includes("--browser")) {
  const b = await benchTesterBrowser(payload.browser)
  console.log(`\nChromium ${b.browser}: compileCatalog ${b.compileMs.toFixed(0)} ms (JSON.parse included)`)
  printTable([
    ["case", "near misses", "median ms", "p95 ms", "fired", "near"],
    ...b.rows.map((r) => [
      r.label,
      r.nearMisses ? "yes" : "no",
      r.median.toFixed(3),
      r.p95.toFixed(3),
      String(r.fired),
      String(r.near),
    ]),
  ])
}
