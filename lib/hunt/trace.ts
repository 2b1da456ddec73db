/**
 * Why a rule took an event, for the drill-down: each condition of the rule's event filter (its
 * first stage for rules run over the log, the whole rule otherwise) with whether it held on this
 * event and on which value, shape by shape.
 *
 * Owns: `huntTrace`. Invariants: pure; recomputed on demand for one event, never stored per event.
 * Must never import: React, Next, Node built-ins.
 */
import { EVENT_SHAPE_DEFS } from "../events/shapes.ts"
import { evaluate } from "../predicate/compile.ts"
import { EventView } from "../predicate/event-view.ts"
import { formatLeaf } from "../predicate/format.ts"
import type { Leaf, Predicate } from "../predicate/types.ts"
import { isLeaf } from "../predicate/types.ts"
import type { TesterInput } from "../tester/report.ts"
import type { HuntRule } from "./hunt.ts"

export type HuntTraceLeaf = { test: string; held: boolean | "unknown"; field?: string; value?: string; negated?: true }
export type HuntTrace = { shape: string; matched: boolean | "unknown"; leaves: HuntTraceLeaf[] }

function leafMap(p: Predicate, negated: boolean, out: Map<number, { leaf: Leaf; negated: boolean }>): void {
  if (isLeaf(p)) out.set(p.id, { leaf: p, negated })
  else if (p.op === "not") leafMap(p.arg, !negated, out)
  else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) leafMap(a, negated, out)
}

/** The rule's filter on each shape of the event it reads. */
export function huntTrace(rule: HuntRule, input: TesterInput): HuntTrace[] {
  const leaves = new Map<number, { leaf: Leaf; negated: boolean }>()
  leafMap(rule.filter.predicate, false, leaves)
  const views: Array<[string, EventView]> =
    "built" in input
      ? EVENT_SHAPE_DEFS.filter((d) => rule.shapes.includes(d.id) && input.built.shapes[d.id] !== undefined).map(
          (d) => [d.id, new EventView(input.built.shapes[d.id]!)],
        )
      : [[rule.format.tester.pastedShape, new EventView(rule.format.tester.readEvent(input.event))]]
  return views.map(([shape, view]) => {
    const ev = evaluate(rule.filter, view, { metadata: "assume" })
    return {
      shape,
      matched: ev.matched,
      leaves: ev.leaves.map((t) => {
        const info = leaves.get(t.id)
        const out: HuntTraceLeaf = { test: info ? formatLeaf(info.leaf) : `#${t.id}`, held: t.held }
        if (t.field !== undefined) out.field = t.field
        if (t.value !== undefined) out.value = t.value
        if (info?.negated) out.negated = true
        return out
      }),
    }
  })
}
