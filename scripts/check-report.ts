/**
 * CI gate for a full-corpus build: `check-report.ts out/report.json MIN [MIN_SIGMA]` reads the
 * report and fails unless at least MIN detections loaded (and MIN_SIGMA of them Sigma rules, and
 * MIN_ELASTIC of them Elastic rules, when given: `check-report.ts FILE MIN [MIN_SIGMA [MIN_ELASTIC]]`) and every other file is accounted for (loaded, or rejected/ignored with a reason).
 */
import { readFileSync } from "node:fs"

import type { BuildReport } from "../lib/catalog/report.ts"

const [file = "out/report.json", minArg = "1700", minSigmaArg, minElasticArg] = process.argv.slice(2)
const report = JSON.parse(readFileSync(file, "utf8")) as BuildReport
const min = Number(minArg)
const problems: string[] = []
if (report.counts.detections < min)
  problems.push(`only ${report.counts.detections} detections loaded; expected at least ${min}`)
if (minSigmaArg !== undefined) {
  const sigma = report.byKind
    .filter((k) => k.kind === "detection" && k.format === "sigma")
    .reduce((n, k) => n + k.loaded, 0)
  if (sigma < Number(minSigmaArg)) problems.push(`only ${sigma} Sigma rules loaded; expected at least ${minSigmaArg}`)
}
if (minElasticArg !== undefined) {
  const elastic = report.byKind
    .filter((k) => k.kind === "detection" && k.format === "elastic")
    .reduce((n, k) => n + k.loaded, 0)
  if (elastic < Number(minElasticArg))
    problems.push(`only ${elastic} Elastic rules loaded; expected at least ${minElasticArg}`)
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
