/**
 * From evaluations to the report: the best evaluation of each rule over the shapes it read, and
 * the report's lists (fired, near misses, undecided) with traces, counts and risk totals.
 *
 * Owns: the verdict order across shapes (true > unknown > false; among false, the one with a
 * near miss) and the report's counts.
 * Invariants: pure; rules arrive in report order (compileCatalog sorts them), so the lists come
 * out ranked without sorting per event.
 * Must never import: React, Next, Node built-ins.
 */
import type { EventView, EvaluateOptions } from "../predicate/index.ts"
import type { EventShapeId } from "../events/types.ts"
import type { RuleDecider } from "../formats/types.ts"
import { evaluatePipeline, type RuleEvaluation } from "../predicate/pipeline.ts"
import type { CatalogRule, CompiledCatalog } from "./compile.ts"
import { nearMissLeaves } from "./near-miss.ts"
import { closeness, compareNearMisses, type LeafOutcome } from "./near-miss-rank.ts"
import { NOT_ANCHORS } from "./near-miss.ts"
import { rank, valueOf } from "./rank.ts"
import { noRiskReason, riskOf, riskTotals } from "./risk.ts"
import type { FiredRule, GateReport, MatchReport, NearMiss, Undecided } from "./report.ts"
import { buildTrace, traceLeaf, traceSummary } from "./trace.ts"

export type Best = { shape: EventShapeId; ev: RuleEvaluation; near: number[]; score: number }

export function report(
  catalog: CompiledCatalog,
  views: Map<EventShapeId, EventView>,
  fallbackViews: EventView[],
  /** The rules with a best evaluation, by index into `catalog.rules`, in ascending order; every other applicable rule did not fire. */
  bestIds: readonly number[],
  bests: ReadonlyArray<Best>,
  /** Rules a log-source gate kept away from this input. */
  notApplicable: number,
  threshold: number,
  gates: GateReport[],
): MatchReport {
  const fired: FiredRule[] = []
  const nearMisses: NearMiss[] = []
  const undecided: Undecided[] = []
  for (let j = 0; j < bestIds.length; j++) {
    const r = catalog.rules[bestIds[j]!]!
    const best = bests[j]!
    const d = r.detection
    if (best.ev.matched === true) {
      const trace = buildTrace(r, best.ev)
      const view = views.get(best.shape)
      const read = view ? [view, ...fallbackViews] : fallbackViews
      const item: FiredRule = {
        ...r.ref,
        shape: best.shape,
        risk: riskOf(d, (f) => valueOf(read, f)),
        trace,
        summary: traceSummary(trace),
      }
      if (d.risk.score !== undefined) item.riskScore = d.risk.score
      const none = item.risk.length ? undefined : noRiskReason(d)
      if (none) item.noRisk = none
      fired.push(item)
    } else if (best.ev.matched === "unknown") {
      const reasons = r.staticReasons.slice()
      for (const x of best.ev.reasons) if (!reasons.includes(x)) reasons.push(x)
      const f = r.ref
      // Spelled out: an object spread here cost more than the traced evaluation before it.
      const u: Undecided = {
        id: f.id,
        name: f.name,
        slug: f.slug,
        format: f.format,
        type: f.type,
        path: f.path,
        status: f.status,
        shape: best.shape,
        reasons,
        scope: r.scope,
      }
      if (f.severity !== undefined) u.severity = f.severity
      if (r.category) u.category = r.category
      undecided.push(u)
    } else if (best.near.length) {
      const trace = buildTrace(r, best.ev)
      const failed = best.ev.leaves.filter((t) => best.near.includes(t.id)).map((t) => traceLeaf(r, t))
      const outcome = new Map<number, LeafOutcome>()
      for (const t of best.ev.leaves)
        outcome.set(t.id, t.value === undefined ? { held: t.held } : { held: t.held, value: t.value })
      nearMisses.push({
        ...r.ref,
        shape: best.shape,
        failed,
        closeness: closeness(r.rule.analysis.predicate, outcome, NOT_ANCHORS),
        trace,
      })
    }
  }
  nearMisses.sort(compareNearMisses)
  const notFired = catalog.rules.length - notApplicable - fired.length - undecided.length - nearMisses.length
  return {
    gates,
    fired,
    nearMisses,
    undecided,
    counts: {
      rules: catalog.rules.length + catalog.notAnalysed.length,
      fired: fired.length,
      nearMisses: nearMisses.length,
      undecided: undecided.length,
      notFired,
      notAnalysed: catalog.notAnalysed.length,
      notApplicable,
    },
    risk: { threshold, totals: riskTotals(fired, threshold) },
  }
}

/** What a rule's format decider answered (RuleDecider). */
export type Decision = ReturnType<RuleDecider>

/**
 * Traced evaluation of one rule on one shape, kept when it ranks above the best so far.
 * `decision`: the rule's decider's answer on this view when the caller has it already.
 */
export function traced(
  r: CatalogRule,
  shape: EventShapeId,
  view: EventView,
  opts: EvaluateOptions,
  best: Best | undefined,
  decision?: Decision,
): Best {
  let ev = evaluatePipeline(r.rule, view, opts)
  if (ev.matched !== false && r.decide) {
    // The predicate alone left the rule open (or would fire it on values computed later in the
    // pipeline): running the pipeline on the event decides.
    const d = decision ?? r.decide(view, opts)
    const reasons = d.verdict === "unknown" && d.reason ? [...ev.reasons, d.reason] : ev.reasons
    ev = { ...ev, matched: d.verdict, reasons }
  }
  const near = nearMissLeaves(r, ev)
  const score = rank(ev.matched, near.length > 0)
  return !best || score > best.score ? { shape, ev, near, score } : best
}
