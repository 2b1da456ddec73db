/**
 * The risk a firing rule adds, with the arithmetic behind each contribution, and the totals per
 * entity against the risk-based alerting threshold.
 *
 * Owns: the contributions of rules that declare risk objects, their bases, and the per-entity
 * totals. A format whose rules declare none (Sigma: its `level` maps to a score) gives its own
 * contributions (`FormatTesting.tester.risk`).
 *
 * Invariants:
 * - A rule with risk objects adds, per risk entity, the entity's score, else the 2024 score
 *   `round(impact × confidence / 100)`, else the detection score; the basis says which.
 * - Totals are per named entity only: a contribution whose field the event does not carry stays
 *   with its rule (shown per rule), never summed under an invented "unknown" entity. Values are
 *   compared case-insensitively; an entity exceeds when strictly above the threshold (ES:
 *   `risk_score > 100`).
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../model/types.ts"
import { findFormatTesting } from "../formats/testers.ts"
import type { RiskContribution } from "../formats/types.ts"
import { DEFAULT_RISK_THRESHOLD } from "./form.ts"

export type { RiskContribution }

export type RiskTotal = { field: string; value: string; score: number; rules: string[]; exceeds: boolean }

/** Reads the first value of a field from the event's views, in order. */
export type ValueReader = (field: string) => string | undefined

/** What a firing rule adds per entity (see the module invariants). */
export function riskOf(d: Pick<Detection, "format" | "risk">, read: ValueReader): RiskContribution[] {
  const own = findFormatTesting(d.format)?.tester.risk
  if (own) return own.contributions(d, read)
  const out: RiskContribution[] = []
  const legacy = d.risk.legacy
  for (const e of d.risk.entities) {
    if (e.role !== "risk") continue
    let score: number | undefined
    let basis: string
    if (e.score !== undefined) {
      score = e.score
      basis = `${e.field} risk object score ${e.score}`
    } else if (legacy) {
      score = legacy.score
      basis = `impact ${legacy.impact} × confidence ${legacy.confidence} / 100 = ${legacy.score}`
    } else {
      score = d.risk.score
      basis = `detection risk score ${score}`
    }
    if (score === undefined) continue
    const c: RiskContribution = { field: e.field, type: e.type, score, basis }
    const value = read(e.field)
    if (value !== undefined) c.value = value
    out.push(c)
  }
  return out
}

/** Why a firing rule adds no risk, or undefined when it adds some. */
export function noRiskReason(d: Pick<Detection, "format" | "risk">): string | undefined {
  const own = findFormatTesting(d.format)?.tester.risk
  if (own) return own.noRisk(d)
  if (d.risk.entities.some((e) => e.role === "risk")) return undefined
  // Elastic rules carry an alert risk score but name no entity to add it to.
  return d.risk.score === undefined
    ? "no risk score: the rule declares no risk object"
    : `risk score ${d.risk.score}, not added per entity: the rule declares no risk object`
}

/** Sums the risk of firing rules per named entity (see the module invariants). */
export function riskTotals(
  fired: ReadonlyArray<{ name: string; risk: ReadonlyArray<Pick<RiskContribution, "field" | "value" | "score">> }>,
  threshold: number = DEFAULT_RISK_THRESHOLD,
): RiskTotal[] {
  const totals = new Map<string, RiskTotal>()
  for (const f of fired) {
    for (const c of f.risk) {
      if (c.value === undefined) continue
      const key = `${c.field}\u0000${c.value.toLowerCase()}`
      const t = totals.get(key) ?? { field: c.field, value: c.value, score: 0, rules: [], exceeds: false }
      t.score += c.score
      if (!t.rules.includes(f.name)) t.rules.push(f.name)
      totals.set(key, t)
    }
  }
  const out = [...totals.values()]
  for (const t of out) t.exceeds = t.score > threshold
  return out.sort((a, b) => b.score - a.score || a.field.localeCompare(b.field) || a.value.localeCompare(b.value))
}
