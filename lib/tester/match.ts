/**
 * The tester's engine, as its callers import it: one input (a built process event in its shapes,
 * or a pasted event) against every analysed rule of the catalog → firing rules with traces, near
 * misses, rules that cannot be judged on one event, and the risk they add per entity.
 *
 * Owns: nothing but the public surface. The parts: report.ts (report types), compile.ts
 * (compileCatalog, shape selection, prefilters), inputs.ts (views and gate), fast.ts (matchEvent),
 * reference.ts (matchEventReference), near-miss.ts, trace.ts, rank.ts (ranking and risk),
 * outcome.ts (evaluations → report).
 * Verdicts: true = fires; 'unknown' = cannot be judged on one event (listed apart with the
 * reasons); false = does not fire.
 * Must never import: React, Next, Node built-ins.
 */
export { DEFAULT_RISK_THRESHOLD } from "./form.ts"
export { compileCatalog, type CatalogRule, type CompiledCatalog } from "./compile.ts"
export { matchEvent } from "./fast.ts"
export { nearMissLeaves } from "./near-miss.ts"
export { riskTotals } from "./risk.ts"
export { matchEventReference } from "./reference.ts"
export { traceSummary } from "./trace.ts"
export type {
  FiredRule,
  GateReport,
  MatchOptions,
  MatchReport,
  NearMiss,
  RuleRef,
  TesterInput,
  TraceLeaf,
  TraceStage,
  Undecided,
} from "./report.ts"
export type { RiskContribution, RiskTotal } from "./risk.ts"
