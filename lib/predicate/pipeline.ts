/**
 * Evaluates an analysed rule of any format against one event: per-stage verdicts and per-leaf
 * trace, on top of the predicate core.
 *
 * Owns: the single-event pipeline semantics. Filter stages are evaluated in order; a stage's
 * `requires` fields (SPL `stats … BY f`) drop the event when null; a stage that cannot be
 * executed on one event makes the outcome 'unknown'.
 *
 * Invariants:
 * - Stage results combine like AND in order: a definite false anywhere → no match; otherwise
 *   any unknown/blocked stage → 'unknown'; otherwise match.
 * - Compile once per rule (`compilePipeline`), evaluate many events; the compiled rule is not
 *   serialisable (ship the RuleAnalysis, compile in the worker).
 * - Event keys: raw fields as-is; data-model fields may come with or without the dataset prefix
 *   (`process_name` or `Processes.process_name`), see event-view.ts.
 *
 * Must never import: React, Next, Node built-ins, or anything outside lib/predicate.
 */
import type { RuleAnalysis, RuleStage } from "./analysis.ts"
import { compile, evaluate, type CompileOptions, type CompiledPredicate, type LeafTrace } from "./compile.ts"
import { EventView } from "./event-view.ts"
import type { EvaluateOptions } from "./leaf-tests.ts"
import type { Event } from "./types.ts"

export type CompiledRule = {
  analysis: RuleAnalysis
  combined: CompiledPredicate
  stages: Array<{ stage: RuleStage; compiled?: CompiledPredicate }>
}

export type StageResult = {
  index: number
  command: string
  /** 'pass' = transform without filtering; 'blocked' = cannot be evaluated for one event. */
  result: boolean | "unknown" | "pass" | "blocked"
  leaves: LeafTrace[]
  /** Why the stage dropped the event or could not decide. */
  reason?: string
}

export type RuleEvaluation = {
  matched: boolean | "unknown"
  stages: StageResult[]
  /** Every leaf of every filtering stage (ids as in analysis.predicate). */
  leaves: LeafTrace[]
  reasons: string[]
}

/**
 * Compiles the combined predicate now and each stage's on first use (a bulk match reads only the
 * combined one; a traced evaluation reads the stages), the stages reusing the combined
 * predicate's compiled leaves. `options`: see compile (compile.ts).
 */
export function compilePipeline(analysis: RuleAnalysis, options: CompileOptions = {}): CompiledRule {
  const shared: CompileOptions = { ...options, leaves: options.leaves ?? new Map() }
  return {
    analysis,
    combined: compile(analysis.predicate, shared),
    stages: analysis.stages.map((stage) => {
      const p = stage.predicate
      if (!p) return { stage }
      let compiled: CompiledPredicate | undefined
      return {
        stage,
        get compiled() {
          return (compiled ??= compile(p, shared))
        },
      }
    }),
  }
}

function missingRequired(view: EventView, stage: RuleStage, prefixes: string[]): string[] {
  return (stage.requires ?? []).filter(
    (f) => view.values(f) === undefined && prefixes.every((p) => view.values(`${p}.${f}`) === undefined),
  )
}

/** Full verdict with traces. Pass one EventView to share per-event caches across many rules. */
export function evaluatePipeline(
  rule: CompiledRule,
  event: Event | EventView,
  options: EvaluateOptions = {},
): RuleEvaluation {
  const view = event instanceof EventView ? event : new EventView(event)
  const prefixes = rule.analysis.prefixes ?? []
  const stages: StageResult[] = []
  const leaves: LeafTrace[] = []
  const reasons: string[] = []
  let matched: boolean | "unknown" = true
  for (const { stage, compiled } of rule.stages) {
    const out: StageResult = { index: stage.index, command: stage.command, result: "pass", leaves: [] }
    if (compiled) {
      const r = evaluate(compiled, view, options)
      out.result = r.matched
      out.leaves = r.leaves
      leaves.push(...r.leaves)
      if (r.matched === "unknown") out.reason = "some conditions cannot be decided from this event"
    }
    if (!stage.evaluable && !rule.analysis.evaluability.decidable) {
      out.result = out.result === false ? false : "blocked"
      out.reason = stage.reason
    }
    const missing = missingRequired(view, stage, prefixes)
    if (missing.length && out.result !== false) {
      out.result = false
      out.reason = `dropped by ${stage.command} because BY field ${missing.join(", ")} is null`
    }
    if (out.result === false) {
      if (matched !== false)
        reasons.push(`stage ${stage.index + 1} (${stage.command}): ${out.reason ?? "conditions not met"}`)
      matched = false
    } else if ((out.result === "unknown" || out.result === "blocked") && matched === true) {
      matched = "unknown"
    }
    if ((out.result === "unknown" || out.result === "blocked") && out.reason)
      reasons.push(`stage ${stage.index + 1} (${stage.command}): ${out.reason}`)
    stages.push(out)
  }
  return { matched, stages, leaves, reasons }
}

/** Fast verdict without traces, for matching one event against many rules. */
export function matchPipeline(
  rule: CompiledRule,
  event: Event | EventView,
  options: EvaluateOptions = {},
): boolean | "unknown" {
  const view = event instanceof EventView ? event : new EventView(event)
  const v = evaluate(rule.combined, view, { ...options, trace: false }).matched
  if (v === false) return false
  const prefixes = rule.analysis.prefixes ?? []
  for (const { stage } of rule.stages) if (missingRequired(view, stage, prefixes).length) return false
  const ev = rule.analysis.evaluability
  return v === "unknown" || !(ev.evaluable || ev.decidable) ? "unknown" : true
}
