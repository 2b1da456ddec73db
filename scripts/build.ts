/**
 * `npm run build`: load and validate the catalog once, export the static site with Next, then
 * write out/report.json (counts per kind and format, every file's fate, every diagnostic, timings).
 *
 * Loading happens here, not in every static-generation worker: the validated catalog is cached in
 * .atlas/catalog.json and the pages read that file (ATLAS_CATALOG_FILE).
 */
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"

import { STATIC_HEADERS, withCsp } from "../lib/csp.ts"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { buildReport, formatDiagnostic, summaryLine } from "../lib/catalog/report.ts"
import { measureChildCpu } from "./child-cpu.ts"
import { pruneExport } from "./prune-export.ts"

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
  if (catalog.diagnostics.length > 20) log(`… and ${catalog.diagnostics.length - 20} more diagnostics in out/report.json`)
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
for (const entry of existsSync(".next") ? readdirSync(".next") : []) if (entry !== "cache") rmSync(join(".next", entry), { recursive: true, force: true })
const clearMs = Math.round(performance.now() - clearStarted)
if (clearMs > 1000) log(`cleared the previous export from out/ and .next/ in ${(clearMs / 1000).toFixed(1)} s`)

const nextStarted = performance.now()
const { result: next, cpuMs } = measureChildCpu(() =>
  spawnSync(process.execPath, [join("node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, ATLAS_CATALOG_FILE: cacheFile, NEXT_TELEMETRY_DISABLED: "1" },
  }),
)
if (next.status !== 0) {
  log(`next build failed (exit ${next.status ?? next.signal})`)
  process.exit(next.status ?? 1)
}
const nextMs = Math.round(performance.now() - nextStarted)
const nextCpuMs = cpuMs === undefined ? undefined : Math.round(cpuMs)
const pruned = pruneExport("out")
log(`removed ${pruned.files} files the exported site never requests (${(pruned.bytes / 1e6).toFixed(1)} MB)`)

// Every page gets a Content Security Policy allowing only its own inline scripts (by hash).
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("base64")
const pages = readdirSync("out", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".html"))
for (const page of pages) writeFileSync(join("out", page), withCsp(readFileSync(join("out", page), "utf8"), sha256))
writeFileSync(join("out", "serve.json"), `${JSON.stringify({ headers: [{ source: "**", headers: STATIC_HEADERS }] }, null, 1)}\n`)
log(`content security policy written into ${pages.length} pages`)
const totalMs = Math.round(performance.now() - started)

const report = buildReport(catalog, nextCpuMs === undefined ? { nextMs, totalMs, strict } : { nextMs, nextCpuMs, totalMs, strict })
writeFileSync(join("out", "report.json"), `${JSON.stringify(report, null, 1)}\n`)

// ATLAS_OUT_DIR: keep this export beside out/ (the browser tests build a hostile catalog this way).
const outDir = process.env.ATLAS_OUT_DIR
if (outDir && resolve(outDir) !== resolve("out")) {
  rmSync(outDir, { recursive: true, force: true })
  renameSync("out", outDir)
}
log(`site exported to ${outDir ?? "out"}/ in ${(totalMs / 1000).toFixed(1)} s (catalog ${(catalog.loadMs / 1000).toFixed(1)} s, next ${(nextMs / 1000).toFixed(1)} s${nextCpuMs === undefined ? "" : `, ${(nextCpuMs / 1000).toFixed(0)} s CPU`}); ${errors.length} errors, ${warnings} warnings; report in ${outDir ?? "out"}/report.json`)
