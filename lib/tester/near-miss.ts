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

export type Truth = boolean | "unknown" | null

/** Re-evaluates a predicate from leaf outcomes, optionally with one leaf flipped. */
export function replay(p: Predicate, outcome: Map<number, Truth>, flip: number): Truth {
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

const TRUTHS: readonly Truth[] = [true, false, "unknown", null]
const slotOf = (v: Truth): number => (v === true ? 0 : v === false ? 1 : v === "unknown" ? 2 : 3)
/** Whether the root is true for each value (in TRUTHS order) a node could take, the rest fixed. */
type Table = readonly boolean[]

/** The value of every node (leaves unflipped), by node. */
function values(p: Predicate, outcome: Map<number, Truth>, out: Map<Predicate, Truth>): Truth {
  let v: Truth
  if (isLeaf(p)) v = outcome.get(p.id) ?? "unknown"
  else if (p.op === "true" || p.op === "false") v = p.op === "true"
  else if (p.op === "not") {
    const a = values(p.arg, outcome, out)
    v = typeof a === "boolean" ? !a : a
  } else {
    const counts = argCounts(p, p.args, outcome, out)
    v = combined(p.op, counts, undefined)
  }
  out.set(p, v)
  return v
}

type Counts = { stop: number; unknown: number; nul: number; trues: number }

function argCounts(
  p: Predicate,
  args: readonly Predicate[],
  outcome: Map<number, Truth>,
  out: Map<Predicate, Truth>,
): Counts {
  const stop = p.op === "or"
  const c: Counts = { stop: 0, unknown: 0, nul: 0, trues: 0 }
  for (const a of args) count(c, values(a, outcome, out), stop, 1)
  return c
}

function count(c: Counts, v: Truth, stop: boolean, by: number): void {
  if (v === stop) c.stop += by
  if (v === "unknown") c.unknown += by
  else if (v === null) c.nul += by
  else if (v === true) c.trues += by
}

/** An and / or / xor node's value from its arguments' counts, plus one more argument `extra` when given. */
function combined(op: string, c: Counts, extra: { v: Truth } | undefined): Truth {
  const stop = op === "or"
  const x = extra?.v
  const has = extra !== undefined
  const unknown = c.unknown + (has && x === "unknown" ? 1 : 0)
  const nul = c.nul + (has && x === null ? 1 : 0)
  if (op === "xor") {
    if (unknown > 0) return "unknown"
    if (nul > 0) return null
    return (c.trues + (has && x === true ? 1 : 0)) % 2 === 1
  }
  if (c.stop + (has && x === stop ? 1 : 0) > 0) return stop
  if (unknown > 0) return "unknown"
  if (nul > 0) return null
  return !stop
}

/**
 * Per leaf id, whether flipping that leaf alone makes the predicate true: one pass down the tree
 * (each node's table says which of its possible values make the root true), so a rule of n
 * leaves costs O(n) rather than a replay per leaf. Undefined when a leaf id occurs twice (a
 * flip then changes several places at once; the caller replays).
 */
export function flipRescues(pred: Predicate, outcome: Map<number, Truth>): Map<number, boolean> | undefined {
  const vals = new Map<Predicate, Truth>()
  values(pred, outcome, vals)
  const out = new Map<number, boolean>()
  let twice = false
  const down = (p: Predicate, table: Table): void => {
    if (twice) return
    if (isLeaf(p)) {
      if (out.has(p.id)) twice = true
      const v = vals.get(p)!
      const flipped: Truth = v === true ? false : v === "unknown" ? "unknown" : true
      out.set(p.id, table[slotOf(flipped)]!)
      return
    }
    if (p.op === "true" || p.op === "false") return
    if (p.op === "not") {
      down(
        p.arg,
        TRUTHS.map((x) => table[slotOf(typeof x === "boolean" ? !x : x)]!),
      )
      return
    }
    const stop = p.op === "or"
    const c: Counts = { stop: 0, unknown: 0, nul: 0, trues: 0 }
    for (const a of p.args) count(c, vals.get(a)!, stop, 1)
    for (const a of p.args) {
      const own = vals.get(a)!
      count(c, own, stop, -1)
      down(
        a,
        TRUTHS.map((x) => table[slotOf(combined(p.op, c, { v: x }))]!),
      )
      count(c, own, stop, 1)
    }
  }
  down(pred, [true, false, false, false])
  return twice ? undefined : out
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
  const rescues = flipRescues(pred, outcome)
  // A leaf id the predicate does not hold leaves it as it is.
  const asIs = rescues && replay(pred, outcome, Number.NaN) === true
  for (const t of ev.leaves) {
    if (t.held === "unknown") continue
    if (rescues ? (rescues.get(t.id) ?? asIs) : replay(pred, outcome, t.id) === true) out.push(t.id)
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
