/**
 * The build report (out/report.json) and the one-line summaries printed by the build and CLI.
 *
 * Owns: the report's shape. Invariants: every input file appears in `files` exactly once, so a
 * reader can account for the whole tree; counts are derived from `files`, never kept apart.
 * Never imports: React, Next, Node built-ins.
 */
import { FORMATS } from "../formats/registry.ts"
import { evaluabilityScope } from "../predicate/analysis.ts"
import type { Catalog, Diagnostic, KindCount } from "./types.ts"

/**
 * The report; each rule format adds its own sections at the top level (`RuleFormat.report`:
 * `spl` for Splunk's engine coverage, `sigma` for Sigma's compiler coverage, …).
 */
export interface BuildReport extends Record<string, unknown> {
  generatedBy: "detection-atlas"
  roots: string[]
  attackVersion: string
  strict: boolean
  counts: {
    detections: number
    macros: number
    stories: number
    dataSources: number
    lookups: number
    files: number
    errors: number
    warnings: number
  }
  /** Loaded, rejected and ignored files per kind and format. */
  byKind: KindCount[]
  /** Build timings: see BuildTimings. */
  timings: { loadMs: number } & BuildTimings
  /**
   * What each rule needs to be decided: `event` (one event), `log` (several events: a log hunt
   * decides it), `none` (data nobody has here), with counts per format and one line per rule
   * that is not decided on one event, with its first reason.
   */
  evaluability: {
    counts: Record<string, { event: number; log: number; none: number }>
    rules: Array<{ id: string; format: string; scope: "log" | "none"; reason: string }>
  }
  unresolvedDataSources: Catalog["unresolvedDataSources"]
  files: Catalog["files"]
  diagnostics: Diagnostic[]
}

export function kindCounts(catalog: Pick<Catalog, "files">): KindCount[] {
  const map = new Map<string, KindCount>()
  for (const f of catalog.files) {
    const key = `${f.kind}|${f.format}`
    const c = map.get(key) ?? { kind: f.kind, format: f.format, loaded: 0, rejected: 0, ignored: 0 }
    c[f.status]++
    map.set(key, c)
  }
  return [...map.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.format.localeCompare(b.format))
}

/**
 * What scripts/build.ts measures. The static export is `next build` (every page but the rules)
 * plus the rule pages (scripts/rule-pages/); `*CpuMs` is CPU time (user + system) of the
 * processes doing it, where the OS tells.
 */
export interface BuildTimings {
  nextMs?: number
  nextCpuMs?: number
  rulePagesMs?: number
  rulePagesCpuMs?: number
  /** nextMs + rulePagesMs: the whole static export. */
  exportMs?: number
  exportCpuMs?: number
  totalMs?: number
}

export function buildReport(catalog: Catalog, extra: { strict: boolean; timings?: BuildTimings }): BuildReport {
  const errors = catalog.diagnostics.filter((d) => d.severity === "error").length
  return {
    generatedBy: "detection-atlas",
    roots: catalog.roots,
    attackVersion: catalog.attackVersion,
    strict: extra.strict,
    counts: {
      detections: catalog.detections.length,
      macros: catalog.macros.length,
      stories: catalog.stories.length,
      dataSources: catalog.dataSources.length,
      lookups: catalog.lookups.length,
      files: catalog.files.length,
      errors,
      warnings: catalog.diagnostics.length - errors,
    },
    byKind: kindCounts(catalog),
    timings: { loadMs: catalog.loadMs, ...extra.timings },
    ...Object.assign({}, ...FORMATS.map((f) => f.report?.(catalog.detections.filter((d) => d.format === f.id)) ?? {})),
    evaluability: evaluabilityReport(catalog),
    unresolvedDataSources: catalog.unresolvedDataSources,
    files: catalog.files,
    diagnostics: catalog.diagnostics,
  }
}

function evaluabilityReport(catalog: Pick<Catalog, "detections">): BuildReport["evaluability"] {
  const counts: BuildReport["evaluability"]["counts"] = {}
  const rules: BuildReport["evaluability"]["rules"] = []
  for (const d of catalog.detections) {
    if (!d.analysis) continue
    const scope = evaluabilityScope(d.analysis)
    const c = (counts[d.format] ??= { event: 0, log: 0, none: 0 })
    c[scope]++
    if (scope === "event") continue
    const reason = d.analysis.multiEvent ?? d.analysis.evaluability.reasons[0]?.message ?? "not evaluable"
    rules.push({ id: d.id, format: d.format, scope, reason })
  }
  return { counts, rules }
}

/** `path:line:column: severity: message [code]`, the form editors and CI logs link. */
export function formatDiagnostic(d: Diagnostic): string {
  const pos = d.line > 0 ? `:${d.line}:${d.column || 1}` : ""
  return `${d.path}${pos}: ${d.severity}: ${d.message} [${d.code}]`
}

/** One line: what was loaded, what was rejected, how long it took. */
export function summaryLine(catalog: Catalog): string {
  const rejected = catalog.files.filter((f) => f.status === "rejected").length
  const errors = catalog.diagnostics.filter((d) => d.severity === "error").length
  return (
    `loaded ${catalog.detections.length} rules, ${catalog.macros.length} macros, ${catalog.stories.length} stories, ` +
    `${catalog.dataSources.length} data sources, ${catalog.lookups.length} lookups; ${rejected} files rejected, ` +
    `${errors} errors, ${catalog.diagnostics.length - errors} warnings in ${(catalog.loadMs / 1000).toFixed(1)} s`
  )
}
