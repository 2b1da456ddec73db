/**
 * Rewrites a stage predicate's field names into event fields using the pipeline scope.
 *
 * Owns: per-leaf resolution (renames undone, data-model prefix moved to `dm`, derived and
 * aggregate origins flagged) and the list of problematic references for the verdict.
 *
 * Invariants: returns a new tree (input leaves are not mutated); `written` keeps the rule's own
 * spelling whenever the event field differs; after a blocking stage every leaf is marked
 * `derived` with the blocker's construct, so a missing field yields 'unknown', not false.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { mapLeaves } from "../../../predicate/build.ts"
import type { Leaf, Predicate } from "../../../predicate/types.ts"
import { resolveField, type Scope } from "./scope.ts"
import { isMetaField } from "./search-parser.ts"

export type Resolved = { predicate: Predicate; aggregateRefs: string[]; derivedRefs: string[] }

export function resolveLeaves(
  pred: Predicate,
  scope: Scope,
  stage: number,
  taint: string | undefined,
  macro?: string,
): Resolved {
  const aggregateRefs: string[] = []
  const derivedRefs: string[] = []
  const predicate = mapLeaves(pred, (orig) => {
    const leaf = { ...orig, stage } as Leaf
    if (macro !== undefined && leaf.macro === undefined) leaf.macro = macro
    if (!("field" in leaf)) return leaf
    const names = leaf.op === "fieldcmp" ? [leaf.field, leaf.other] : [leaf.field]
    names.forEach((name, i) => {
      const origin = resolveField(scope, name)
      if (origin.kind === "aggregate") {
        aggregateRefs.push(name)
        leaf.derived = "aggregate"
      } else if (origin.kind === "derived") {
        derivedRefs.push(name)
        leaf.derived = origin.by
      } else {
        if (i === 0 && origin.field !== name) {
          leaf.written ??= name
          leaf.field = origin.field
        } else if (i === 1 && leaf.op === "fieldcmp") leaf.other = origin.field
        if (origin.dm !== undefined) leaf.dm = origin.dm
        const fill = scope.filled.get(origin.field)
        if (i === 0 && fill !== undefined) leaf.fill = fill
        if (taint !== undefined) leaf.derived ??= `after ${taint}`
      }
    })
    if (isMetaField(leaf.field)) leaf.meta = true
    return leaf
  })
  return { predicate, aggregateRefs, derivedRefs }
}
