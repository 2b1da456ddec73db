/**
 * Ranking: the order rules are listed in (risk contributions and totals are risk.ts's).
 *
 * Owns: the rule order (type TTP, Anomaly, Hunting, Correlation, others; then higher risk score
 * first; then name and id) and the rule reference copied into report entries.
 * Invariants: pure.
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../model/types.ts"
import type { EventView } from "../predicate/index.ts"
import type { RuleRef } from "./report.ts"

/** The collation `localeCompare` uses, made once: a collator compares far faster than localeCompare per call. */
const NAMES = new Intl.Collator()

const TYPE_RANK: Record<string, number> = { TTP: 0, Anomaly: 1, Hunting: 2, Correlation: 3 }

export function ref(d: Detection): RuleRef {
  const r: RuleRef = {
    id: d.id,
    name: d.name,
    slug: d.slug,
    format: d.format,
    type: d.type,
    path: d.path,
    status: d.status,
  }
  if (d.risk.severity !== undefined) r.severity = d.risk.severity
  return r
}

export const rank = (v: boolean | "unknown", near: boolean): number =>
  v === true ? 3 : v === "unknown" ? 2 : near ? 1 : 0

export function valueOf(views: EventView[], field: string): string | undefined {
  for (const v of views) {
    const vals = v.values(field)
    if (vals?.[0] !== undefined) return vals[0]
  }
  return undefined
}

export function ruleRank(d: Detection): RuleRef & { riskScore?: number } {
  const r: RuleRef & { riskScore?: number } = ref(d)
  if (d.risk.score !== undefined) r.riskScore = d.risk.score
  return r
}

export function compareRules(a: RuleRef & { riskScore?: number }, b: RuleRef & { riskScore?: number }): number {
  return (
    (TYPE_RANK[a.type] ?? 9) - (TYPE_RANK[b.type] ?? 9) ||
    (b.riskScore ?? -1) - (a.riskScore ?? -1) ||
    NAMES.compare(a.name, b.name) ||
    NAMES.compare(a.id, b.id)
  )
}
