/**
 * The reference path: the straightforward evaluation the fast path must agree with, kept for
 * tests and the bench.
 *
 * Invariants: pure; decides the log-source gate rule by rule and evaluates every applicable rule and
 * shape, with no prefilter.
 * Must never import: React, Next, Node built-ins.
 */
import type { EvaluateOptions } from "../predicate/index.ts"
import { matchPipeline } from "../predicate/pipeline.ts"
import { DEFAULT_RISK_THRESHOLD } from "./form.ts"
import type { CompiledCatalog } from "./compile.ts"
import { admits, gateReports, inputViews, shapesFor } from "./inputs.ts"
import { report, traced, type Best } from "./outcome.ts"
import type { MatchOptions, MatchReport, TesterInput } from "./report.ts"

/**
 * The straightforward evaluation matchEvent must agree with (kept for tests and the bench):
 * every rule and applicable shape through matchRule, and a traced evaluation for every rule that
 * fires, is undecided or may be a near miss.
 */
export function matchEventReference(
  catalog: CompiledCatalog,
  input: TesterInput,
  options: MatchOptions = {},
): MatchReport {
  const threshold = options.threshold ?? DEFAULT_RISK_THRESHOLD
  const opts: EvaluateOptions = { metadata: options.metadata ?? "assume" }
  const wantNear = options.nearMisses !== false
  const { views, fallbackViews, sources } = inputViews(input)
  const bestIds: number[] = []
  const bests: Best[] = []
  let notApplicable = 0
  catalog.rules.forEach((r, i) => {
    // The reference decides the gate rule by rule, from the rule's own source.
    const source = r.detection.analysis && r.format.tester.gate?.ruleSource(r.detection.analysis)
    if (source !== undefined && !admits(r.format, source, sources)) {
      notApplicable++
      return
    }
    let best: Best | undefined
    for (const shape of shapesFor(r, "built" in input)) {
      const view = views.get(shape)
      if (!view) continue
      let quick = matchPipeline(r.rule, view, opts)
      if (quick !== false && r.decide) quick = r.decide(view, opts).verdict
      if (
        quick === false &&
        (!wantNear || (best && best.score > 0) || !r.anchors.some((a) => view.values(a.field, a.dm) !== undefined))
      )
        continue
      best = traced(r, shape, view, opts, best)
      if (best.score === 3) break
    }
    if (best) {
      bestIds.push(i)
      bests.push(best)
    }
  })
  return report(catalog, views, fallbackViews, bestIds, bests, notApplicable, threshold, gateReports(sources))
}
