/**
 * Field scope across pipeline stages: which event field (if any) a name refers to at a given
 * point of the pipeline.
 *
 * Owns: rename tracking (`a AS b`, `X.* AS *` from drop_dm_object_name), data-model prefix
 * stripping for tstats rules, and the origin of computed names (eval/rex/spath results,
 * aggregates from stats/tstats).
 *
 * Invariants:
 * - Resolution goes backwards through the stages: explicit names first (latest definition
 *   wins), then wildcard renames in reverse order, then data-model prefix stripping.
 * - Data-model prefixes are stripped only in rules whose generating command is tstats (or
 *   `from datamodel`); raw-search rules keep dotted JSON names such as `properties.status`.
 * - Mutated only through the exported functions, in pipeline order.
 *
 * Must never import: React, Next, Node built-ins.
 */

export type FieldOrigin =
  | { kind: "event"; field: string; dm?: string }
  /** Computed by a stage the evaluator does not run (eval, rex, spath output...). */
  | { kind: "derived"; by: string }
  /** An aggregate over many events (count, dc, sum...): filtering on it is a threshold. */
  | { kind: "aggregate"; expr: string }

export type Scope = {
  named: Map<string, FieldOrigin>
  wildcardRenames: Array<{ fromPrefix: string; toPrefix: string }>
  dmPrefixes: Set<string>
  /** Event fields guaranteed non-null from here on → the value a missing one reads as. */
  filled: Map<string, string>
}

export function newScope(): Scope {
  return { named: new Map(), wildcardRenames: [], dmPrefixes: new Set(), filled: new Map() }
}

function stripDm(scope: Scope, name: string): FieldOrigin {
  const dot = name.indexOf(".")
  if (dot > 0) {
    const prefix = name.slice(0, dot)
    if (scope.dmPrefixes.has(prefix)) return { kind: "event", field: name.slice(dot + 1), dm: prefix }
  }
  return { kind: "event", field: name }
}

export function resolveField(scope: Scope, name: string): FieldOrigin {
  const hit = scope.named.get(name)
  if (hit) return hit
  let current = name
  for (let i = scope.wildcardRenames.length - 1; i >= 0; i--) {
    const r = scope.wildcardRenames[i] as { fromPrefix: string; toPrefix: string }
    if (current.startsWith(r.toPrefix)) {
      current = r.fromPrefix + current.slice(r.toPrefix.length)
      const named = scope.named.get(current)
      if (named) return named
    }
  }
  return stripDm(scope, current)
}

/** `rename from AS to`; supports a single trailing `*` on both sides (`X.* AS *`). */
export function applyRename(scope: Scope, from: string, to: string): void {
  if (from.endsWith("*") && to.endsWith("*") && !from.slice(0, -1).includes("*") && !to.slice(0, -1).includes("*")) {
    scope.wildcardRenames.push({ fromPrefix: from.slice(0, -1), toPrefix: to.slice(0, -1) })
    return
  }
  scope.named.set(to, resolveField(scope, from))
}

export function defineField(scope: Scope, name: string, origin: FieldOrigin): void {
  scope.named.set(name, origin)
}

/** True when the name, as seen now, reads an aggregate. */
export function isAggregate(scope: Scope, name: string): boolean {
  return resolveField(scope, name).kind === "aggregate"
}
