/**
 * `npm run build`: load and validate the catalog once, export the static site with Next, then
 * write out/report.json (counts per kind and format, every file's fate, every diagnostic, timings).
 *
 * Loading happens here, not in every static-generation worker: the validated catalog is cached in
 * .atlas/catalog.json and the pages read that file (ATLAS_CATALOG_FILE). Nothing is kept between
 * builds.
 *
 * `npm run build` starts node with `--max-semi-space-size=64` (package.json): loading builds a
 * catalog of a few hundred MB that mostly outlives V8's young generation, and at its 16 MB
 * default the three-corpus load ran about 90 young-generation collections instead of about 30,
 * each copying what survived. `npm run bench` starts its fresh load with the same flags.
 */
import { spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

import { STATIC_HEADERS, withCsp } from "../lib/csp.ts"

import { loadAttackIndex } from "../lib/attack/load.node.ts"
import { absoluteRoots, contentRoots, loadCatalog } from "../lib/catalog/load.node.ts"
import { buildReport, formatDiagnostic, summaryLine } from "../lib/catalog/report.ts"
import { exampleShare } from "../lib/tester/example-event.ts"
import { writeAttackAliases } from "./attack-aliases.ts"
import { findLeaks } from "./check-out/scan.ts"
import { childCpuMs } from "./child-cpu.ts"
import { pruneExport } from "./prune-export.ts"
import { placeRulePages, renderRulePages } from "./rule-pages/index.ts"

const started = performance.now()
const strict = process.env.CATALOG_STRICT === "1"
const log = (line: string) => process.stderr.write(`atlas: ${line}\n`)

const catalog = loadCatalog({ onProgress: log })
const errors = catalog.diagnostics.filter((d) => d.severity === "error")
const warnings = catalog.diagnostics.length - errors.length
const stopping = strict && errors.length > 0
// A strict stop lists every error below; otherwise the first few and the report hold the rest.
if (!stopping) {
  for (const d of catalog.diagnostics.slice(0, 20)) log(formatDiagnostic(d))
  if (catalog.diagnostics.length > 20)
    log(`… and ${catalog.diagnostics.length - 20} more diagnostics in out/report.json`)
}
log(summaryLine(catalog))

if (stopping) {
  log(`CATALOG_STRICT=1: ${errors.length} error(s), build stopped:`)
  for (const d of errors) log(`  ${formatDiagnostic(d)}`)
  process.exit(1)
}
if (catalog.detections.length === 0) log("warning: no detection was loaded; check CATALOG_CONTENT")

mkdirSync(".atlas", { recursive: true })
const cacheFile = resolve(".atlas/catalog.json")
writeFileSync(cacheFile, JSON.stringify(catalog))

// Next empties out/ and .next/ (all but its compile cache) itself, file by file, inside its own
// timing; a corpus export leaves ~60,000 files in out/ and twice the bytes in .next/server. Clear
// them first so "next" measures the export alone (the framework floor starts empty too).
const clearStarted = performance.now()
rmSync("out", { recursive: true, force: true })
for (const entry of existsSync(".next") ? readdirSync(".next") : [])
  if (entry !== "cache") rmSync(join(".next", entry), { recursive: true, force: true })
const clearMs = Math.round(performance.now() - clearStarted)
if (clearMs > 1000) log(`cleared the previous export from out/ and .next/ in ${(clearMs / 1000).toFixed(1)} s`)

// The static export: `next build` for every page but the rules, and the rule pages
// (scripts/rule-pages/index.ts says why they are apart) rendered at the same time.
const basePath = (process.env.BASE_PATH ?? "").replace(/\/$/, "")
const staging = resolve(".atlas/rule-pages-out")
const exportStarted = performance.now()
const cpuBefore = childCpuMs()
const nextRun = new Promise<{ status: number | null; signal: NodeJS.Signals | null; ms: number }>((done, fail) => {
  const child = spawn(process.execPath, [join("node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, ATLAS_CATALOG_FILE: cacheFile, NEXT_TELEMETRY_DISABLED: "1" },
  })
  child.on("error", fail)
  child.on("close", (status, signal) => done({ status, signal, ms: Math.round(performance.now() - exportStarted) }))
})
const [nextResult, rulesResult] = await Promise.allSettled([
  nextRun,
  renderRulePages({ stagingDir: staging, catalogFile: cacheFile, basePath, log }),
])
const failure = (r: PromiseSettledResult<unknown>) =>
  r.status === "rejected" ? (r.reason instanceof Error ? r.reason.message : String(r.reason)) : undefined
if (nextResult.status === "rejected" || nextResult.value.status !== 0) {
  log(
    `next build failed (${failure(nextResult) ?? `exit ${nextResult.status === "fulfilled" ? (nextResult.value.status ?? nextResult.value.signal) : "?"}`})`,
  )
  process.exit(nextResult.status === "fulfilled" ? (nextResult.value.status ?? 1) : 1)
}
if (rulesResult.status === "rejected") {
  log(`rule pages failed: ${failure(rulesResult)}`)
  process.exit(1)
}
const rulePages = rulesResult.value
const nextMs = nextResult.value.ms
const exportMs = Math.round(performance.now() - exportStarted)
const cpuAfter = childCpuMs()
const exportCpuMs = cpuBefore !== undefined && cpuAfter !== undefined ? Math.round(cpuAfter - cpuBefore) : undefined
const nextCpuMs = exportCpuMs === undefined ? undefined : exportCpuMs - rulePages.cpuMs

const pruned = pruneExport("out")
log(`removed ${pruned.files} files the exported site never requests (${(pruned.bytes / 1e6).toFixed(1)} MB)`)
const patchRulePage = placeRulePages(staging, "out")
const aliases = writeAttackAliases("out", loadAttackIndex().data.tactics)
log(
  `${aliases} forwarding pages for ATT&CK's spellings of technique and tactic addresses (/techniques/T1059.001/, /tactics/TA0002/)`,
)

// Every page gets a Content Security Policy allowing only its own inline scripts (by hash).
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64")
const pages = readdirSync("out", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".html"))
for (const page of pages)
  writeFileSync(join("out", page), withCsp(patchRulePage(readFileSync(join("out", page), "utf8")), sha256))
writeFileSync(
  join("out", "serve.json"),
  `${JSON.stringify({ headers: [{ source: "**", headers: STATIC_HEADERS }] }, null, 1)}\n`,
)
log(`content security policy written into ${pages.length} pages`)
const totalMs = Math.round(performance.now() - started)

const report = buildReport(catalog, {
  strict,
  timings: {
    nextMs,
    nextCpuMs,
    rulePagesMs: rulePages.ms,
    rulePagesCpuMs: rulePages.cpuMs,
    exportMs,
    exportCpuMs,
    totalMs,
  },
})
// The tester's own check: every evaluable rule against the example event built from its conditions.
const examples = exampleShare(catalog.detections)
log(
  `tester examples: ${examples.fire} of ${examples.evaluable} evaluable rules fire their own example (${examples.share}; ${Object.entries(
    examples.byFormat,
  )
    .map(([f, x]) => `${f} ${x.share}`)
    .join(", ")}) in ${(examples.ms / 1000).toFixed(1)} s`,
)
writeFileSync(join("out", "report.json"), `${JSON.stringify({ ...report, testerExamples: examples }, null, 1)}\n`)

// No file of the site may hold where the content sat on the build machine: readers see paths
// relative to each content root. A leak is a bug in the site, so the build fails on it.
const leaks = findLeaks("out", absoluteRoots(contentRoots()))
if (leaks.length > 0) {
  log(
    `${leaks.length} files of out/ hold the absolute path of a content folder, e.g. out/${leaks[0]?.file} holds ${leaks[0]?.needle}:`,
  )
  for (const l of leaks.slice(0, 10)) log(`  out/${l.file}`)
  process.exit(1)
}

// ATLAS_OUT_DIR: keep this export beside out/ (the browser tests build a hostile catalog this way).
const outDir = process.env.ATLAS_OUT_DIR
if (outDir && resolve(outDir) !== resolve("out")) {
  rmSync(outDir, { recursive: true, force: true })
  renameSync("out", outDir)
}
log(
  `site exported to ${outDir ?? "out"}/ in ${(totalMs / 1000).toFixed(1)} s (catalog ${(catalog.loadMs / 1000).toFixed(1)} s, export ${(exportMs / 1000).toFixed(1)} s${exportCpuMs === undefined ? "" : ` and ${(exportCpuMs / 1000).toFixed(0)} s CPU`}: next ${(nextMs / 1000).toFixed(1)} s, rule pages ${(rulePages.ms / 1000).toFixed(1)} s at the same time); ${errors.length} errors, ${warnings} warnings; report in ${outDir ?? "out"}/report.json`,
)
