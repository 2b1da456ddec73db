/**
 * Ranking and risk: the order rules are listed in, and the risk firing rules add per entity.
 *
 * Owns: the rule order (type TTP, Anomaly, Hunting, Correlation, others; then higher risk score
 * first; then name and id) and the risk totals. A firing rule adds, per risk entity (role
 * 'risk'), the entity score, else the detection's legacy score, else its detection score;
 * totals group by entity field and value (case-insensitive) and exceed the threshold when
 * strictly greater (Splunk ES: `risk_score > 100`).
 * Invariants: pure.
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../catalog/types.ts"
import type { EventView } from "../predicate/index.ts"
import { DEFAULT_RISK_THRESHOLD } from "./form.ts"
import type { FiredRule, RiskContribution, RiskTotal, RuleRef } from "./report.ts"

const TYPE_RANK: Record<string, number> = { TTP: 0, Anomaly: 1, Hunting: 2, Correlation: 3 }

export function ref(d: Detection): RuleRef {
  return { id: d.id, name: d.name, slug: d.slug, format: d.format, type: d.type, path: d.path }
}

export const rank = (v: boolean | "unknown", near: boolean): number => (v === true ? 3 : v === "unknown" ? 2 : near ? 1 : 0)

function valueOf(views: EventView[], field: string): string | undefined {
  for (const v of views) {
    const vals = v.values(field)
    if (vals?.[0] !== undefined) return vals[0]
  }
  return undefined
}

export function riskOf(d: Detection, views: EventView[]): RiskContribution[] {
  const out: RiskContribution[] = []
  for (const e of d.risk.entities) {
    if (e.role !== "risk") continue
    const score = e.score ?? d.risk.legacy?.score ?? d.risk.score
    if (score === undefined) continue
    const c: RiskContribution = { field: e.field, type: e.type, score }
    const value = valueOf(views, e.field)
    if (value !== undefined) c.value = value
    out.push(c)
  }
  return out
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
    a.name.localeCompare(b.name) ||
    a.id.localeCompare(b.id)
  )
}

/** Sums the risk of firing rules per entity field and value (values compared case-insensitively). */
export function riskTotals(fired: ReadonlyArray<Pick<FiredRule, "name" | "risk">>, threshold: number = DEFAULT_RISK_THRESHOLD): RiskTotal[] {
  const totals = new Map<string, RiskTotal>()
  for (const f of fired) {
    for (const c of f.risk) {
      const value = c.value ?? "(unknown)"
      const key = `${c.field}\u0000${value.toLowerCase()}`
      const t = totals.get(key) ?? { field: c.field, value, score: 0, rules: [], exceeds: false }
      t.score += c.score
      if (!t.rules.includes(f.name)) t.rules.push(f.name)
      totals.set(key, t)
    }
  }
  const out = [...totals.values()]
  for (const t of out) t.exceeds = t.score > threshold
  return out.sort((a, b) => b.score - a.score || a.field.localeCompare(b.field) || a.value.localeCompare(b.value))
}
