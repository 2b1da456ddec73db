/**
 * The Sigma compiler's view of a rule as the format-neutral `RuleAnalysis`: one `condition`
 * stage whose predicate is the whole rule (every search identifier expanded), and the Sigma
 * detail (logsource, selections, tags, correlation) under `detail`.
 *
 * Owns: `SigmaDetail` and the conversion both ways.
 * Invariants: the combined predicate is stored once (`RuleAnalysis.predicate`, shared by the
 * stage), never copied into the detail.
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/sigma but
 * lib/predicate, lib/model and lib/source.
 */
import type { FormatDetail, RuleAnalysis } from "../../predicate/analysis.ts"
import type { SigmaAnalysis } from "./types.ts"

/** The Sigma part of a rule's analysis (`RuleAnalysis.detail` of Sigma rules). */
export type SigmaDetail = FormatDetail & { format: "sigma" } & Omit<SigmaAnalysis, "predicate" | "evaluable" | "reason">

/** Why the tester never evaluates a correlation rule on one event. */
export const CORRELATION_REASON =
  "a Sigma correlation rule: it counts or orders other rules' matches over time, never one event"

/** The format-neutral view of a compiled Sigma rule. */
export function sigmaRuleAnalysis(s: SigmaAnalysis): RuleAnalysis<SigmaDetail> {
  const { predicate, evaluable, reason, ...rest } = s
  const reasons = evaluable
    ? []
    : [{ construct: "sigma", category: "other", message: reason ?? "cannot be decided on one event" }]
  const out: RuleAnalysis<SigmaDetail> = {
    stages: [
      {
        index: 0,
        command: "condition",
        text: s.condition,
        start: 0,
        end: 0,
        macros: [],
        role: "filter",
        predicate,
        evaluable,
        ...(reason ? { reason } : {}),
      },
    ],
    predicate,
    evaluability: { evaluable, ...(evaluable ? {} : { category: "other" }), reasons, notes: [], requires: [] },
    detail: { format: "sigma", ...rest },
  }
  if (s.kind === "correlation") out.multiEvent = CORRELATION_REASON
  return out
}

/** The Sigma detail of an analysis, or undefined when another format produced it. */
export function sigmaDetail(a: RuleAnalysis | undefined): SigmaDetail | undefined {
  return a?.detail.format === "sigma" ? (a.detail as SigmaDetail) : undefined
}

/** The compiler's SigmaAnalysis back from a rule's RuleAnalysis (for the Sigma page sections). */
export function sigmaAnalysisOf(a: RuleAnalysis): SigmaAnalysis | undefined {
  const d = sigmaDetail(a)
  if (!d) return undefined
  const { format: _format, ...rest } = d
  const stage = a.stages[0]
  return {
    ...rest,
    predicate: a.predicate,
    evaluable: a.evaluability.evaluable,
    ...(stage?.reason !== undefined ? { reason: stage.reason } : {}),
  }
}
