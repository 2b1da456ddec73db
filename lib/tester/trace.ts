/**
 * Traces for people: each stage's verdict and each leaf as written in the rule, with the value
 * it held on, and the one-line summary of a firing rule.
 *
 * Invariants: pure; leaf text comes from the compiled rule (formatted once per rule).
 * Must never import: React, Next, Node built-ins.
 */
import type { LeafTrace } from "../predicate/index.ts"
import type { RuleEvaluation } from "../predicate/pipeline.ts"
import type { CatalogRule } from "./compile.ts"
import type { TraceLeaf, TraceStage } from "./report.ts"

export function traceLeaf(r: CatalogRule, t: LeafTrace): TraceLeaf {
  const info = r.leaves.get(t.id)
  const out: TraceLeaf = { id: t.id, held: t.held, test: info ? info.test : `#${t.id}` }
  if (t.field !== undefined) out.field = t.field
  if (t.value !== undefined) out.value = t.value
  if (info?.leaf.macro) out.macro = info.leaf.macro
  if (info?.negated) out.negated = true
  if (t.isNull) out.isNull = true
  if (info?.leaf.selection !== undefined) out.selection = info.leaf.selection
  return out
}

export function buildTrace(r: CatalogRule, ev: RuleEvaluation): TraceStage[] {
  return ev.stages.map((s) => {
    const stage = r.rule.analysis.stages.find((x) => x.index === s.index)
    const out: TraceStage = {
      index: s.index,
      command: s.command,
      result: s.result,
      macros: stage?.macros ?? [],
      leaves: s.leaves.map((t) => traceLeaf(r, t)),
    }
    if (s.reason !== undefined) out.reason = s.reason
    return out
  })
}

/** Short human line: the positive leaves that held, with the value they held on. */
export function traceSummary(trace: TraceStage[]): string {
  const parts: string[] = []
  for (const s of trace) {
    for (const l of s.leaves) {
      if (l.negated || l.held !== true) continue
      parts.push(
        `${l.test}${l.value !== undefined ? ` ← "${l.value.length > 60 ? `${l.value.slice(0, 57)}...` : l.value}"` : ""}${l.macro ? ` [${l.macro}]` : ""}`,
      )
    }
  }
  return parts.join("; ") || "(no positive condition: the rule's filters are all exclusions or metadata)"
}
