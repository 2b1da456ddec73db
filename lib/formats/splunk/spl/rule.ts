/**
 * Evaluates an analysed SPL search against one event: the shared pipeline evaluator
 * (lib/predicate/pipeline.ts) over the search's format-neutral analysis.
 *
 * Owns: nothing but the adapter; `compileRule(analyzeSpl(…))` is what the engine's tests, the
 * fuzzer and the bench call.
 * Must never import: React, Next, Node built-ins.
 */
import {
  compilePipeline,
  evaluatePipeline,
  matchPipeline,
  type CompiledRule,
  type RuleEvaluation,
  type StageResult,
} from "../../../predicate/pipeline.ts"
import { splRuleAnalysis } from "../analysis.ts"
import type { SplAnalysis } from "./types.ts"

export type { CompiledRule, RuleEvaluation, StageResult }

/** Compile an SPL analysis once; evaluate it with evaluateRule / matchRule. */
export function compileRule(analysis: SplAnalysis): CompiledRule {
  return compilePipeline(splRuleAnalysis(analysis))
}

export const evaluateRule = evaluatePipeline
export const matchRule = matchPipeline
