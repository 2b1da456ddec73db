/**
 * The risk a firing rule adds, with the arithmetic behind each contribution, and the totals per
 * entity against the risk-based alerting threshold.
 *
 * Owns: the Sigma level → risk score mapping, which event fields name a Sigma rule's entities,
 * contribution bases, and the per-entity totals.
 *
 * Invariants:
 * - Splunk rules add, per risk entity, the entity's score, else the 2024 score
 *   `round(impact × confidence / 100)`, else the detection score; the basis says which.
 * - Sigma rules declare no risk: their `level` maps to the middle of the Splunk severity band
 *   of the same name (SIGMA_LEVEL_RISK, so the score reads back as that severity), added to the
 *   user and the host the event names. A rule without a level adds no risk score, and says so.
 * - Totals are per named entity only: a contribution whose field the event does not carry stays
 *   with its rule (shown per rule), never summed under an invented "unknown" entity. Values are
 *   compared case-insensitively; an entity exceeds when strictly above the threshold (ES:
 *   `risk_score > 100`).
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Detection } from "../model/types.ts"
import { DEFAULT_RISK_THRESHOLD } from "./form.ts"

/**
 * Sigma level → risk score: the middle of the Splunk severity band with the same name
 * (informational ≤ 20, low ≤ 40, medium ≤ 60, high ≤ 80, critical above).
 */
export const SIGMA_LEVEL_RISK: Readonly<Record<string, number>> = {
  informational: 10,
  low: 30,
  medium: 50,
  high: 70,
  critical: 90,
}

export type RiskContribution = {
  field: string
  type: string
  /** The entity's value on the event; absent when the event does not carry the field. */
  value?: string
  score: number
  /** How the score was reached, e.g. `impact 70 × confidence 70 / 100 = 49`. */
  basis: string
}

export type RiskTotal = { field: string; value: string; score: number; rules: string[]; exceeds: boolean }

/** Reads the first value of a field from the event's views, in order. */
export type ValueReader = (field: string) => string | undefined

/** Where a Sigma rule's entities are read from: CIM name first, then Windows event names. */
const SIGMA_ENTITIES: ReadonlyArray<{ field: string; type: string; from: string[] }> = [
  { field: "user", type: "user", from: ["user", "User", "SubjectUserName", "TargetUserName"] },
  { field: "dest", type: "system", from: ["dest", "Computer", "host", "hostname"] },
]

/** What a firing rule adds per entity (see the module invariants). */
export function riskOf(d: Pick<Detection, "format" | "risk">, read: ValueReader): RiskContribution[] {
  const out: RiskContribution[] = []
  if (d.format === "sigma") {
    const level = d.risk.severity
    const score = level === undefined ? undefined : SIGMA_LEVEL_RISK[level]
    if (score === undefined) return out
    for (const e of SIGMA_ENTITIES) {
      const c: RiskContribution = { field: e.field, type: e.type, score, basis: `Sigma level ${level} → ${score}` }
      for (const f of e.from) {
        const v = read(f)
        if (v !== undefined) {
          c.value = v
          break
        }
      }
      out.push(c)
    }
    return out
  }
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
  if (d.format === "sigma")
    return d.risk.severity === undefined ? "no risk score: the Sigma rule has no level" : undefined
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
