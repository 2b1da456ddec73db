/**
 * Flattens a predicate into indicators: (field, kind, value) triples for search facets and
 * corpus-wide counts ("which rules look at process_name = wmic.exe").
 *
 * Owns: the indicator kinds and the normalisation key.
 *
 * Invariants / choices:
 * - `field` is the event field the leaf reads (data-model prefixes already removed by the
 *   analyser: `Processes.process` → `process`).
 * - Wildcard values are classified by shape: `*x*` → contains x, `x*` → startswith x, `*x` →
 *   endswith x, no `*` → eq, `*` alone → exists, anything else → wildcard (value kept with its
 *   stars). LIKE patterns are classified the same way with `%` (a `_` makes them kind `like`).
 * - IN lists are expanded to one indicator per value, each classified by its own shape, so
 *   `process_name IN ("a.exe", "*b*")` counts exactly like `process_name=a.exe OR
 *   process_name=*b*`.
 * - Leaves under an odd number of NOTs are reported with `negated: true`; the key prefixes their
 *   kind with `not-` so they never inflate counts of positive indicators.
 * - Field-to-field comparisons and unknown leaves carry no literal value and yield nothing.
 * - A leaf a format expanded from one written value (`variantOf`: Sigma `windash` variants,
 *   `base64offset` encodings) yields the written value, marked with its `expansion`.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { globShape } from "./glob.ts"
import type { Leaf, Predicate } from "./types.ts"
import { isLeaf } from "./types.ts"

export type IndicatorKind =
  | "eq"
  | "ne"
  | "contains"
  | "startswith"
  | "endswith"
  | "wildcard"
  | "exists"
  | "like"
  | "regex"
  | "cidr"
  | "lt"
  | "gt"
  | "keyword"

/**
 * One indicator. `expansion` names the modifier that expanded the written value into several
 * leaves (Sigma `windash`, `base64offset`); `value` is then the value as written.
 */
export type Indicator = {
  field: string
  kind: IndicatorKind
  value: string
  negated: boolean
  leafId: number
  expansion?: string
}

function byShape(field: string, value: string, star: string): { field: string; kind: IndicatorKind; value: string } {
  const s = globShape(value, star)
  switch (s.kind) {
    case "exact":
      return { field, kind: "eq", value: s.text }
    case "any":
      return { field, kind: "exists", value: "" }
    case "wildcard":
      return { field, kind: star === "%" ? "like" : "wildcard", value }
    default:
      return { field, kind: s.kind, value: s.text }
  }
}

function fromLeaf(l: Leaf): Array<{ field: string; kind: IndicatorKind; value: string }> {
  switch (l.op) {
    case "cmp":
      // A leaf a modifier expanded counts as the value written in the rule.
      if (l.cmpOp === "=" && l.variantOf !== undefined) return [byShape(l.field, l.variantOf, "*")]
      if (l.cmpOp === "=")
        return [l.lang === "search" ? byShape(l.field, l.value, "*") : { field: l.field, kind: "eq", value: l.value }]
      if (l.cmpOp === "!=") return [{ field: l.field, kind: "ne", value: l.value }]
      return [{ field: l.field, kind: l.cmpOp.startsWith("<") ? "lt" : "gt", value: l.value }]
    case "in":
      return l.values.map((v) =>
        l.lang === "search" ? byShape(l.field, v, "*") : { field: l.field, kind: "eq" as const, value: v },
      )
    case "like":
      return [
        l.pattern.includes("_") ? { field: l.field, kind: "like", value: l.pattern } : byShape(l.field, l.pattern, "%"),
      ]
    case "regex":
      return [{ field: l.field, kind: "regex", value: l.pattern }]
    case "cidr":
      return [{ field: l.field, kind: "cidr", value: l.cidr }]
    case "isnotnull":
      return [{ field: l.field, kind: "exists", value: "" }]
    case "keyword":
      return [{ field: "_raw", kind: "keyword", value: l.value }]
    default:
      return []
  }
}

export function indicators(pred: Predicate): Indicator[] {
  const out: Indicator[] = []
  const walk = (p: Predicate, negated: boolean): void => {
    if (isLeaf(p)) {
      // isnull(f) is "NOT exists": flip the polarity of its exists indicator.
      const neg = p.op === "isnull" ? !negated : negated
      const items = p.op === "isnull" ? [{ field: p.field, kind: "exists" as const, value: "" }] : fromLeaf(p)
      for (const i of items)
        out.push(
          p.expansion === undefined
            ? { ...i, negated: neg, leafId: p.id }
            : { ...i, negated: neg, leafId: p.id, expansion: p.expansion },
        )
    } else if (p.op === "not") walk(p.arg, !negated)
    else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) walk(a, negated)
  }
  walk(pred, false)
  return out
}

/** Normalisation key for corpus counts: field (case kept), kind, value lower-cased. */
export function indicatorKey(i: Pick<Indicator, "field" | "kind" | "value" | "negated">): string {
  return `${i.field}\u0000${i.negated ? "not-" : ""}${i.kind}\u0000${i.value.toLowerCase()}`
}
