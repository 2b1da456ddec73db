/**
 * The fast path: one input against every compiled rule, with the same report as the reference
 * path (reference.ts), proven equal by match-fast.test.ts.
 *
 * Owns: the per-event scan. Flat arrays decide which rules to touch; a field-presence prefilter
 * and an untraced verdict run per rule and shape; the traced evaluation only for rules that fire
 * or are undecided, and for near-miss candidates.
 * Invariants: pure, synchronous, no per-rule allocation on the common path.
 * Must never import: React, Next, Node built-ins.
 */
import type { EventView, EvaluateOptions } from "../predicate/index.ts"
import { evaluate, flipsToTrue } from "../predicate/compile.ts"
import { DEFAULT_RISK_THRESHOLD } from "./form.ts"
import { SHAPE_COUNT, SHAPE_SLOT, type CatalogRule, type CompiledCatalog, type FieldRef } from "./compile.ts"
import { admittedGates, gateReports, inputViews, shapesFor } from "./inputs.ts"
import { keyHits } from "./key-index.ts"
import { anchored } from "./near-miss.ts"
import { report, traced, type Best, type Decision } from "./outcome.ts"
import type { MatchOptions, MatchReport, TesterInput } from "./report.ts"

/** Field presence on one view by interned field id, computed lazily: the prefilter reads it for every rule. */
function presence(view: EventView, fields: readonly FieldRef[]): (id: number) => boolean {
  const known = new Int8Array(fields.length) // 0 not looked up, 1 present, 2 absent
  return (id) => {
    let v = known[id]
    if (v === 0) {
      const f = fields[id]!
      v = known[id] = view.valuesAt(f.slot) !== undefined ? 1 : 2
    }
    return v === 1
  }
}

/**
 * The format decider's answer from the last quickVerdict call, when it ran one (else undefined):
 * the traced evaluation that follows for the same rule and view reuses it instead of running the
 * rule's pipeline on the event a second time.
 */
let lastDecision: Decision | undefined

/** Same verdict as matchRule (rule.ts), with the field prefilter first and no per-call allocation. */
function quickVerdict(
  r: CatalogRule,
  view: EventView,
  has: (id: number) => boolean,
  opts: EvaluateOptions & { trace: false },
): boolean | "unknown" {
  lastDecision = undefined
  for (const clause of r.required) if (!clause.some(has)) return false
  const v = evaluate(r.rule.combined, view, opts).matched
  if (v === false) return false
  for (const ids of r.byFields) if (!ids.some(has)) return false
  if (r.decide) return (lastDecision = r.decide(view, opts)).verdict
  const ev = r.rule.analysis.evaluability
  return v === "unknown" || !(ev.evaluable || ev.decidable) ? "unknown" : true
}

/**
 * Evaluates one input against every compiled rule. Same report as matchEventReference, faster:
 * one EventView per shape; a field-presence prefilter and an untraced verdict per rule and shape;
 * the traced evaluation only for rules that fire or are undecided, and for near-miss candidates
 * (an anchor field present and at most one leaf flip from true, see flipsToTrue).
 */
export function matchEvent(catalog: CompiledCatalog, input: TesterInput, options: MatchOptions = {}): MatchReport {
  const threshold = options.threshold ?? DEFAULT_RISK_THRESHOLD
  const opts: EvaluateOptions = { metadata: options.metadata ?? "assume" }
  const quickOpts = { ...opts, trace: false as const }
  const wantNear = options.nearMisses !== false
  const { views, fallbackViews, sources } = inputViews(input)
  // Per-shape lookups by small integer (SHAPE_SLOT) rather than Map.get in the loop over every rule.
  const viewAt: Array<EventView | undefined> = []
  const hasAt: Array<(id: number) => boolean> = []
  const keyedAt: Uint8Array[] = []
  const anchorAt: Uint8Array[] = []
  const n = catalog.rules.length
  for (const [s, v] of views) {
    const k = SHAPE_SLOT.get(s)
    if (k === undefined) continue
    viewAt[k] = v
    hasAt[k] = presence(v, catalog.fields)
    keyedAt[k] = keyHits(catalog.keyIndex, catalog.fields, n, v)
    if (wantNear) anchorAt[k] = keyHits(catalog.anchorIndex, catalog.fields, n, v)
  }
  const built = "built" in input
  const admitted = admittedGates(catalog, sources)
  const { gate, shapes: shapeBits, pasted: pastedBits, keyed, anchorKeyed } = catalog.scan
  const bestIds: number[] = []
  const bests: Best[] = []
  let notApplicable = 0
  for (let i = 0; i < n; i++) {
    // The scan reads flat arrays only; a rule object is touched once the rule may fire or be near.
    const g = gate[i]!
    if (g >= 0 && admitted[g] === 0) {
      notApplicable++
      continue
    }
    const bits = built ? shapeBits[i]! : pastedBits[i]!
    let worth = false
    for (let k = 0; k < SHAPE_COUNT && !worth; k++) {
      if ((bits & (1 << k)) === 0 || viewAt[k] === undefined) continue
      worth = keyed[i] === 0 || keyedAt[k]![i] === 1 || (wantNear && (anchorKeyed[i] === 0 || anchorAt[k]![i] === 1))
    }
    if (!worth) continue
    const r = catalog.rules[i]!
    let best: Best | undefined
    for (const shape of shapesFor(r, built)) {
      const k = SHAPE_SLOT.get(shape)
      const view = k === undefined ? undefined : viewAt[k]
      if (!view) continue
      const present = hasAt[k!]!
      lastDecision = undefined
      const quick = r.key && keyedAt[k!]![i] === 0 ? false : quickVerdict(r, view, present, quickOpts)
      if (quick === false) {
        if (!wantNear || (best && best.score > 0) || !r.anchorIds.some(present)) continue
        if (r.anchorKey && anchorAt[k!]![i] === 0) continue
        // anchored() first: on a process event it rejects ~6 in 7 candidates, and costs less than a flip walk.
        if (!anchored(r, view, opts) || flipsToTrue(r.rule.combined, view, opts) > 1) continue
      }
      best = traced(r, shape, view, opts, best, lastDecision)
      if (best.score === 3) break
    }
    if (best) {
      bestIds.push(i)
      bests.push(best)
    }
  }
  return report(catalog, views, fallbackViews, bestIds, bests, notApplicable, threshold, gateReports(sources))
}
