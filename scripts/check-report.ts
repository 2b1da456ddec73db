/**
 * CI gate for a full-corpus build: `check-report.ts out/report.json MIN [FORMAT=MIN ...]
 * [max-errors=N]` reads the report and fails unless at least MIN detections loaded, at least the
 * given number of each format named (`sigma=3700 elastic=2100`, format ids of
 * lib/formats/registry.ts), at most N error diagnostics when `max-errors=N` is given, and every
 * other file is accounted for (loaded, or rejected/ignored with a reason).
 */
import { readFileSync } from "node:fs"

import type { BuildReport } from "../lib/catalog/report.ts"
import { findFormat } from "../lib/formats/registry.ts"

const [file = "out/report.json", minArg = "1700", ...floors] = process.argv.slice(2)
const report = JSON.parse(readFileSync(file, "utf8")) as BuildReport
const min = Number(minArg)
const problems: string[] = []
const maxErrors = floors.find((f) => f.startsWith("max-errors="))
if (maxErrors !== undefined) {
  const limit = Number(maxErrors.slice("max-errors=".length))
  if (!Number.isInteger(limit) || limit < 0) {
    console.error(`check-report: "${maxErrors}" is not max-errors=N with N a whole number`)
    process.exit(2)
  }
  if (report.counts.errors > limit) {
    const first = report.diagnostics.find((d) => d.severity === "error")
    problems.push(
      `${report.counts.errors} errors; expected at most ${limit}${first ? `, e.g. ${first.path}:${first.line}:${first.column}: ${first.message}` : ""}`,
    )
  }
}
if (report.counts.detections < min)
  problems.push(`only ${report.counts.detections} detections loaded; expected at least ${min}`)
for (const floor of floors.filter((f) => !f.startsWith("max-errors="))) {
  const [, id = "", n = ""] = /^([a-z0-9-]+)=(\d+)$/.exec(floor) ?? []
  const format = findFormat(id)
  if (!format) {
    console.error(`check-report: "${floor}" is not FORMAT=MIN with a registered format id`)
    process.exit(2)
  }
  const loaded = report.byKind
    .filter((k) => k.kind === "detection" && k.format === id)
    .reduce((sum, k) => sum + k.loaded, 0)
  if (loaded < Number(n)) problems.push(`only ${loaded} ${format.label} rules loaded; expected at least ${n}`)
}
const unexplained = report.files.filter((f) => f.status !== "loaded" && !f.reason)
if (unexplained.length > 0)
  problems.push(`${unexplained.length} files not loaded without a reason, e.g. ${unexplained[0]?.path}`)
const counted = report.byKind.reduce((n, k) => n + k.loaded + k.rejected + k.ignored, 0)
if (counted !== report.files.length)
  problems.push(`byKind counts ${counted} files but the report lists ${report.files.length}`)
for (const k of report.byKind)
  console.log(
    `${k.kind.padEnd(12)} ${k.format.padEnd(7)} loaded ${k.loaded}, rejected ${k.rejected}, ignored ${k.ignored}`,
  )
console.log(
  `report: ${report.counts.detections} detections, ${report.files.length} files, ${report.counts.errors} errors, ${report.counts.warnings} warnings; load ${report.timings.loadMs} ms, export ${report.timings.exportMs} ms (next ${report.timings.nextMs} ms, rule pages ${report.timings.rulePagesMs} ms), total ${report.timings.totalMs} ms`,
)
if (problems.length > 0) {
  for (const p of problems) console.error(`check-report: ${p}`)
  process.exit(1)
}
