/**
 * Near misses: rules that did not fire but would with one condition flipped.
 *
 * Owns: the near-miss definition. A rule whose verdict is false, which drops no event for a
 * missing BY field, and where negating the outcome of exactly one leaf of its combined
 * predicate (true↔false, NULL→true) would make the combined predicate true; and at least one
 * other leaf of positive polarity (under an even number of NOTs) held on a value the event
 * carries, so a rule that merely failed its only real test on an absent field is not "near"
 * (constant fields the builder fills in, such as action, vendor_product and EventCode, do not
 * count). The failing leaves listed are every leaf whose single flip rescues the rule (e.g.
 * either branch of an OR). A rule rescued only by flips on the process identity is not near;
 * how near the others are, and their order, is near-miss-rank.ts's.
 * Invariants: pure; replays leaf outcomes already computed, never re-reads the event.
 * Must never import: React, Next, Node built-ins.
 */
import type { EventView, EvaluateOptions, Leaf, Predicate } from "../predicate/index.ts"
import { isLeaf } from "../predicate/types.ts"
import type { RuleEvaluation } from "../predicate/pipeline.ts"
import { ECS_CONSTANT_FIELDS } from "../events/ecs.ts"
import type { CatalogRule } from "./compile.ts"
import { identityOnly } from "./near-miss-rank.ts"

/** Constant CIM fields the builder fills in: holding on them says nothing about closeness. */
export const NOT_ANCHORS = new Set([
  "action",
  "vendor_product",
  "EventCode",
  "EventID",
  "Channel",
  "Provider_Name",
  ...ECS_CONSTANT_FIELDS,
])

type Truth = boolean | "unknown" | null

/** Re-evaluates a predicate from leaf outcomes, optionally with one leaf flipped. */
function replay(p: Predicate, outcome: Map<number, Truth>, flip: number): Truth {
  if (isLeaf(p)) {
    const v = outcome.get(p.id) ?? "unknown"
    if (p.id !== flip) return v
    return v === true ? false : v === "unknown" ? "unknown" : true
  }
  switch (p.op) {
    case "true":
      return true
    case "false":
      return false
    case "not": {
      const v = replay(p.arg, outcome, flip)
      return typeof v === "boolean" ? !v : v
    }
    // Loops rather than mapped arrays: replay runs once per leaf of every near-miss candidate.
    case "xor": {
      let unknown = false
      let sawNull = false
      let odd = false
      for (const a of p.args) {
        const v = replay(a, outcome, flip)
        if (v === "unknown") unknown = true
        else if (v === null) sawNull = true
        else if (v === true) odd = !odd
      }
      return unknown ? "unknown" : sawNull ? null : odd
    }
    default: {
      const stop = p.op === "or"
      let unknown = false
      let sawNull = false
      for (const a of p.args) {
        const v = replay(a, outcome, flip)
        if (v === stop) return stop
        if (v === "unknown") unknown = true
        else if (v === null) sawNull = true
      }
      return unknown ? "unknown" : sawNull ? null : !stop
    }
  }
}

/** Leaf ids whose single flip makes the rule's combined predicate true (empty = not a near miss). */
export function nearMissLeaves(r: CatalogRule, ev: RuleEvaluation): number[] {
  if (ev.matched !== false) return []
  if (ev.reasons.some((x) => x.includes("because BY field"))) return []
  const outcome = new Map<number, Truth>()
  for (const t of ev.leaves) outcome.set(t.id, t.isNull ? null : t.held)
  const pred = r.rule.analysis.predicate
  let anchored = false
  for (const t of ev.leaves) {
    const info = r.leaves.get(t.id)
    if (
      info &&
      !info.negated &&
      !info.leaf.meta &&
      !NOT_ANCHORS.has(t.field ?? "") &&
      t.held === true &&
      t.value !== undefined
    )
      anchored = true
  }
  if (!anchored) return []
  const out: number[] = []
  for (const t of ev.leaves) {
    if (t.held === "unknown") continue
    if (replay(pred, outcome, t.id) === true) out.push(t.id)
  }
  // A rule whose only way to fire is another process identity is about that process, not near.
  if (identityOnly(out.map((id) => ({ field: leafField(r.leaves.get(id)?.leaf) })))) return []
  return out
}

const leafField = (l: Leaf | undefined): string | undefined => (l && "field" in l ? l.field : undefined)

export function anchored(r: CatalogRule, view: EventView, opts: EvaluateOptions): boolean {
  // Checks, not traced tests: this runs for thousands of candidates per event, most rejected.
  for (const c of r.anchorChecks) if (c(view, opts) === true) return true
  return false
}
