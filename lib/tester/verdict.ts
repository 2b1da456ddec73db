/**
 * The tester's verdict, read before any detail: how many rules fire, the highest severity, the
 * risk per entity against the threshold, and firing rules grouped by format and severity; with
 * the rule-status filter (production / experimental / deprecated) applied.
 *
 * Owns: status groups, severity order, the "fires on everything it reads" flag, and what the
 * verdict says when the input names no entity.
 *
 * Invariants:
 * - Pure: derived from a MatchReport alone, so the page and the CLI say the same thing.
 * - Status groups: Splunk `production` and Sigma `stable`/`test` are production; `experimental`
 *   (and no status) experimental; `deprecated`, Sigma `unsupported` and anything else not meant
 *   to run, deprecated.
 * - Risk totals are recomputed over the rules the filter keeps.
 * - A firing rule none of whose positive conditions held on a value the event carries (only
 *   exclusions, metadata or nothing) fires on everything it reads: it is flagged, not hidden.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { FiredRule, MatchReport } from "./match.ts"
import { riskTotals, type RiskTotal } from "./risk.ts"

export type StatusGroup = "production" | "experimental" | "deprecated"
export const STATUS_GROUPS: readonly StatusGroup[] = ["production", "experimental", "deprecated"]
/** Shown unless the user asks: deprecated rules are not meant to run. */
export const DEFAULT_STATUSES: readonly StatusGroup[] = ["production", "experimental"]

export const SEVERITIES = ["critical", "high", "medium", "low", "informational"] as const

export function statusGroup(status: string): StatusGroup {
  const s = status.toLowerCase()
  if (s === "production" || s === "stable" || s === "test") return "production"
  if (s === "experimental" || s === "unset" || s === "") return "experimental"
  return "deprecated"
}

const severityRank = (s: string | undefined): number => {
  const i = SEVERITIES.indexOf((s ?? "") as (typeof SEVERITIES)[number])
  return i < 0 ? SEVERITIES.length : i
}

/** True when no positive condition of the rule held on a value the event carries. */
export function firesOnEverything(f: Pick<FiredRule, "trace">): boolean {
  for (const s of f.trace)
    for (const l of s.leaves)
      if (!l.negated && l.held === true && (l.value !== undefined || l.field === undefined)) return false
  return true
}

export type FiredGroup = { format: string; severity: string; rules: FiredRule[] }

export type Verdict = {
  /** Firing rules the status filter keeps. */
  fired: FiredRule[]
  /** Firing rules the filter hides, per status group. */
  hidden: Record<StatusGroup, number>
  /** informational … critical; undefined when nothing fires or no firing rule has one. */
  highest?: string
  /** Per named entity (the filter applied); empty when the input names none. */
  totals: RiskTotal[]
  /** True when some kept firing rule adds risk to a field the input does not carry. */
  unnamed: boolean
  groups: FiredGroup[]
}

export function verdict(report: MatchReport, statuses: readonly StatusGroup[] = DEFAULT_STATUSES): Verdict {
  const hidden: Record<StatusGroup, number> = { production: 0, experimental: 0, deprecated: 0 }
  const fired: FiredRule[] = []
  for (const f of report.fired) {
    const g = statusGroup(f.status)
    if (statuses.includes(g)) fired.push(f)
    else hidden[g]++
  }
  let highest: string | undefined
  for (const f of fired)
    if (f.severity !== undefined && severityRank(f.severity) < severityRank(highest)) highest = f.severity
  const groups = new Map<string, FiredGroup>()
  for (const f of fired) {
    const severity = f.severity ?? "no severity"
    const k = `${f.format}\u0000${severity}`
    const g = groups.get(k) ?? { format: f.format, severity, rules: [] }
    g.rules.push(f)
    groups.set(k, g)
  }
  const out: Verdict = {
    fired,
    hidden,
    totals: riskTotals(fired, report.risk.threshold),
    unnamed: fired.some((f) => f.risk.some((c) => c.value === undefined)),
    groups: [...groups.values()].sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity) || a.format.localeCompare(b.format),
    ),
  }
  if (highest !== undefined) out.highest = highest
  return out
}
