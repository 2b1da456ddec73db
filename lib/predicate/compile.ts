/**
 * Compiles a predicate into a matcher tree and evaluates events against it.
 *
 * Owns: the compiled form and the three-valued (plus 'unknown') boolean combinators.
 *
 * Invariants:
 * - Logic values are true, false, null (eval-language NULL) and 'unknown' (undecidable here).
 *   AND: any false → false, else any unknown → unknown, else any null → null, else true.
 *   OR mirrors it; NOT keeps null and unknown. A final null counts as "no match" (where drops it).
 * - `evaluate` with `trace: true` (the default) runs every leaf so the trace covers the whole
 *   tree; `trace: false` short-circuits for bulk matching.
 * - The compiled tree holds closures and is NOT serialisable; ship the Predicate and compile in
 *   the worker.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { EventView } from "./event-view.ts"
import { compileLeaf, type CompiledLeaf, type EvaluateOptions, type LeafCheck, type LeafTest } from "./leaf-tests.ts"
import type { Event, Leaf, Predicate, Truth } from "./types.ts"
import { isLeaf } from "./types.ts"

type Node =
  | { k: "and" | "or" | "xor"; args: Node[] }
  | { k: "not"; arg: Node }
  | { k: "const"; v: boolean }
  | { k: "leaf"; leaf: Leaf; test: LeafTest; check: LeafCheck }

export type CompiledPredicate = {
  predicate: Predicate
  root: Node
  /** Leaves whose construct cannot be evaluated (they always yield 'unknown'). */
  unsupported: Array<{ id: number; reason: string }>
}

export type LeafTrace = {
  id: number
  held: boolean | "unknown"
  /** True when the eval-language leaf was NULL (missing field); `held` is then false. */
  isNull?: true
  field?: string
  /** The event value the leaf held (or failed) on. */
  value?: string
}

export type Evaluation = { matched: boolean | "unknown"; leaves: LeafTrace[] }

/** How to compile: what is known already, and compiled leaves to reuse. */
export type CompileOptions = {
  /** Leaves an earlier compile found supported (leaf-tests.ts LeafKnowledge): their costly parts compile on first use. */
  supported?: (leaf: Leaf) => boolean
  /** Compiled leaves by leaf object, shared by the compiles of one rule (its stages hold the same leaves as its combined predicate). */
  leaves?: Map<Leaf, CompiledLeaf>
}

/** One leaf compiled, or taken from `options.leaves`. */
export function compiledLeaf(p: Leaf, options: CompileOptions = {}): CompiledLeaf {
  let c = options.leaves?.get(p)
  if (!c) {
    c = compileLeaf(p, options.supported?.(p) ? { supported: true } : undefined)
    options.leaves?.set(p, c)
  }
  return c
}

export function compile(predicate: Predicate, options: CompileOptions = {}): CompiledPredicate {
  const unsupported: CompiledPredicate["unsupported"] = []
  const build = (p: Predicate): Node => {
    if (isLeaf(p)) {
      const c = compiledLeaf(p, options)
      if (c.unsupported !== undefined) unsupported.push({ id: p.id, reason: c.unsupported })
      const test = c.test
      return { k: "leaf", leaf: p, test, check: c.check ?? ((view, opts) => test(view, opts).held) }
    }
    switch (p.op) {
      case "true":
        return { k: "const", v: true }
      case "false":
        return { k: "const", v: false }
      case "not":
        return { k: "not", arg: build(p.arg) }
      default:
        return { k: p.op, args: p.args.map(build) }
    }
  }
  return { predicate, root: build(predicate), unsupported }
}

function combine(k: "and" | "or", vals: Truth[]): Truth {
  const stop = k === "or"
  if (vals.includes(stop)) return stop
  if (vals.includes("unknown")) return "unknown"
  if (vals.includes(null)) return null
  return !stop
}

function run(n: Node, view: EventView, opts: EvaluateOptions, trace: LeafTrace[] | null): Truth {
  switch (n.k) {
    case "const":
      return n.v
    case "leaf": {
      if (!trace) return n.check(view, opts)
      const out = n.test(view, opts)
      const t: LeafTrace = { id: n.leaf.id, held: out.held === null ? false : out.held }
      if (out.held === null) t.isNull = true
      if ("field" in n.leaf) t.field = n.leaf.field
      if (out.value !== undefined) t.value = out.value
      trace.push(t)
      return out.held
    }
    case "not": {
      const v = run(n.arg, view, opts, trace)
      return typeof v === "boolean" ? !v : v
    }
    case "xor": {
      const vals = n.args.map((a) => run(a, view, opts, trace))
      if (vals.includes("unknown")) return "unknown"
      if (vals.includes(null)) return null
      return vals.filter((v) => v === true).length % 2 === 1
    }
    case "and":
    case "or": {
      if (trace)
        return combine(
          n.k,
          n.args.map((a) => run(a, view, opts, trace)),
        )
      // Short-circuit without allocating: same result as combine() over the values seen.
      const stop = n.k === "or"
      let sawUnknown = false
      let sawNull = false
      for (const a of n.args) {
        const v = run(a, view, opts, null)
        if (v === stop) return stop
        if (v === "unknown") sawUnknown = true
        else if (v === null) sawNull = true
      }
      return sawUnknown ? "unknown" : sawNull ? null : !stop
    }
  }
}

/** Truth value of the whole predicate, with NULL already mapped to "no match". */
export function evaluate(
  compiled: CompiledPredicate,
  event: Event | EventView,
  options: EvaluateOptions & { trace?: boolean } = {},
): Evaluation {
  const view = event instanceof EventView ? event : new EventView(event)
  const leaves: LeafTrace[] | null = options.trace === false ? null : []
  const v = run(compiled.root, view, options, leaves)
  return { matched: v === null ? false : v, leaves: leaves ?? [] }
}

const FLIP_CAP = 2

function flipCost(n: Node, view: EventView, opts: EvaluateOptions, target: boolean): number {
  switch (n.k) {
    case "const":
      return n.v === target ? 0 : FLIP_CAP
    case "leaf": {
      const h = n.check(view, opts)
      if (h === target) return 0
      if (h === "unknown") return FLIP_CAP
      // A flip turns true↔false and NULL→true (never NULL→false).
      return h === null && !target ? FLIP_CAP : 1
    }
    case "not":
      return flipCost(n.arg, view, opts, !target)
    case "xor":
      return 0 // not analysed: 0 is always a valid lower bound
    case "and":
    case "or": {
      // and→true / or→false: every argument must reach the target (sum); otherwise one suffices (min).
      if ((n.k === "and") === target) {
        let sum = 0
        for (const a of n.args) {
          sum += flipCost(a, view, opts, target)
          if (sum >= FLIP_CAP) return FLIP_CAP
        }
        return sum
      }
      let min = FLIP_CAP
      for (const a of n.args) {
        const c = flipCost(a, view, opts, target)
        if (c < min) min = c
        if (min === 0) return 0
      }
      return min
    }
  }
}

/**
 * Lower bound (capped at 2, short-circuiting) on how many leaf outcomes must be flipped
 * (true↔false, NULL→true; 'unknown' never flips) for the predicate to evaluate to true. With no
 * xor in the tree it is exact below the cap. Used to rule out near misses without a traced
 * evaluation: a predicate one flip away from true has `flipsToTrue(...) <= 1`.
 */
export function flipsToTrue(compiled: CompiledPredicate, view: EventView, options: EvaluateOptions = {}): number {
  return flipCost(compiled.root, view, options, true)
}
