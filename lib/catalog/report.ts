/**
 * The build report (out/report.json) and the one-line summaries printed by the build and CLI.
 *
 * Owns: the report's shape. Invariants: every input file appears in `files` exactly once, so a
 * reader can account for the whole tree; counts are derived from `files`, never kept apart.
 * Never imports: React, Next, Node built-ins.
 */
import { elasticFormat } from "../formats/elastic/format.ts"
import type { Catalog, Diagnostic, KindCount } from "./types.ts"

export interface BuildReport {
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
  /** SPL engine coverage over the Splunk rules. */
  spl: SplCoverage
  /** Sigma compiler coverage over the Sigma rules. */
  sigma: SigmaCoverage
  /** Elastic rules: per rule type and language, how many one event decides and why not. */
  elastic: Record<string, unknown>
  unresolvedDataSources: Catalog["unresolvedDataSources"]
  files: Catalog["files"]
  diagnostics: Diagnostic[]
}

/** How much of the corpus the SPL engine understands (issue 3 acceptance figures). */
export interface SplCoverage {
  /** Splunk rules with an analysis (a rule whose analysis threw is counted in none of these). */
  rules: number
  /** Rules whose first stage parsed fully, partly (some constructs unknown), or not at all. */
  firstStage: { full: number; partial: number; none: number }
  /** Rules single-event evaluable, and not. */
  evaluable: number
  notEvaluable: number
  /** Not-evaluable rules by their primary blocker category. */
  byCategory: Record<string, number>
  /** Rules per construct the parser does not support, most frequent first. */
  unsupportedConstructs: Record<string, number>
  /** Every rule whose first stage did not parse fully, with the constructs that stopped it. */
  notFull: Array<{ path: string; firstStage: "partial" | "none"; constructs: string[] }>
}

export function splCoverage(catalog: Pick<Catalog, "detections">): SplCoverage {
  const cov: SplCoverage = { rules: 0, firstStage: { full: 0, partial: 0, none: 0 }, evaluable: 0, notEvaluable: 0, byCategory: {}, unsupportedConstructs: {}, notFull: [] }
  const constructs = new Map<string, number>()
  for (const d of catalog.detections) {
    const a = d.analysis
    if (!a || d.format !== "splunk") continue
    cov.rules++
    cov.firstStage[a.parse.firstStage]++
    if (a.parse.firstStage !== "full") {
      // A first stage that is no event search at all (mstats, inputlookup...) has no unsupported
      // construct to name: its command is the reason.
      const constructs = a.parse.unsupportedConstructs.length > 0 ? a.parse.unsupportedConstructs : [`first command: ${a.stages[0]?.command ?? "none"}`]
      cov.notFull.push({ path: d.path, firstStage: a.parse.firstStage, constructs })
    }
    if (a.evaluability.evaluable) cov.evaluable++
    else {
      cov.notEvaluable++
      const c = a.evaluability.category ?? "other"
      cov.byCategory[c] = (cov.byCategory[c] ?? 0) + 1
    }
    for (const u of new Set(a.parse.unsupportedConstructs)) constructs.set(u, (constructs.get(u) ?? 0) + 1)
  }
  const sorted = [...constructs.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
  cov.unsupportedConstructs = Object.fromEntries(sorted)
  return cov
}

/** How many Sigma rules compiled to a predicate the tester can evaluate (issue 7 acceptance figures). */
export interface SigmaCoverage {
  /** Sigma rules loaded (correlations included). */
  rules: number
  correlations: number
  /** Non-correlation rules with a predicate (every loaded one: a rule that does not compile is rejected). */
  compiled: number
  evaluable: number
  /** Rules that load but cannot be decided on one event, with the reason. */
  notEvaluable: Array<{ path: string; reason: string }>
}

export function sigmaCoverage(catalog: Pick<Catalog, "detections">): SigmaCoverage {
  const cov: SigmaCoverage = { rules: 0, correlations: 0, compiled: 0, evaluable: 0, notEvaluable: [] }
  for (const d of catalog.detections) {
    const a = d.sigma
    if (!a) continue
    cov.rules++
    if (a.kind === "correlation") cov.correlations++
    else cov.compiled++
    if (a.evaluable) cov.evaluable++
    else if (a.kind !== "correlation") cov.notEvaluable.push({ path: d.path, reason: a.reason ?? "not evaluable" })
  }
  return cov
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
    spl: splCoverage(catalog),
    sigma: sigmaCoverage(catalog),
    elastic: elasticFormat.report?.(catalog.detections.filter((d) => d.format === elasticFormat.id)) ?? {},
    unresolvedDataSources: catalog.unresolvedDataSources,
    files: catalog.files,
    diagnostics: catalog.diagnostics,
  }
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
