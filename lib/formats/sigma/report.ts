/**
 * Sigma's section of report.json: how many Sigma rules compiled to a predicate the tester can
 * evaluate, and why the others cannot be.
 *
 * Owns: `SigmaCoverage`. Invariants: pure; counts Sigma rules only.
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/sigma but
 * lib/predicate, lib/model and lib/source.
 */
import type { Catalog } from "../../model/types.ts"
import { sigmaAnalysisOf } from "./analysis.ts"

/** How many Sigma rules compiled to a predicate the tester can evaluate (the `sigma` section of report.json). */
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
    const a = d.analysis ? sigmaAnalysisOf(d.analysis) : undefined
    if (!a) continue
    cov.rules++
    if (a.kind === "correlation") cov.correlations++
    else cov.compiled++
    if (a.evaluable) cov.evaluable++
    else if (a.kind !== "correlation") cov.notEvaluable.push({ path: d.path, reason: a.reason ?? "not evaluable" })
  }
  return cov
}
