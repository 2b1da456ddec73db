/**
 * Constructors and tree utilities for predicates.
 *
 * Owns: building and/or/not nodes with light normalisation, numbering, counting, walking and
 * mapping leaves, and copying a tree.
 *
 * Invariants: constructors never mutate their inputs' structure except `numberLeaves`, which
 * assigns ids in depth-first order (stable for the same tree). Flattening only merges nodes of
 * the same associative operator, so the boolean meaning never changes.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Leaf, Predicate } from "./types.ts"
import { isLeaf } from "./types.ts"

/** AND of the arguments; nested ANDs are flattened, `true` dropped, a single argument returned. */
export function and(args: Predicate[]): Predicate {
  const flat: Predicate[] = []
  for (const a of args) {
    // A loop, not push(...args): spreading tens of thousands of arguments overflows the stack.
    if (a.op === "and") for (const x of a.args) flat.push(x)
    else if (a.op !== "true") flat.push(a)
  }
  if (flat.length === 0) return { op: "true" }
  if (flat.length === 1) return flat[0] as Predicate
  return { op: "and", args: flat }
}

/** OR of the arguments; nested ORs are flattened, a single argument returned. */
export function or(args: Predicate[]): Predicate {
  const flat: Predicate[] = []
  for (const a of args) {
    if (a.op === "or") for (const x of a.args) flat.push(x)
    else flat.push(a)
  }
  if (flat.length === 0) return { op: "false" }
  if (flat.length === 1) return flat[0] as Predicate
  return { op: "or", args: flat }
}

export function not(arg: Predicate): Predicate {
  return { op: "not", arg }
}

/** Visit every leaf depth-first, left to right. */
export function walkLeaves(p: Predicate, visit: (leaf: Leaf) => void): void {
  if (isLeaf(p)) visit(p)
  else if (p.op === "not") walkLeaves(p.arg, visit)
  else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) walkLeaves(a, visit)
}

export function leaves(p: Predicate): Leaf[] {
  const out: Leaf[] = []
  walkLeaves(p, (l) => out.push(l))
  return out
}

/** Copy the tree, replacing each leaf with `fn(leaf)` (which may return any predicate). */
export function mapLeaves(p: Predicate, fn: (leaf: Leaf) => Predicate): Predicate {
  if (isLeaf(p)) return fn(p)
  if (p.op === "not") return { op: "not", arg: mapLeaves(p.arg, fn) }
  if (p.op === "and" || p.op === "or" || p.op === "xor") return { op: p.op, args: p.args.map((a) => mapLeaves(a, fn)) }
  return p
}

/** Assign ids 1..n to the leaves in depth-first order, in place; returns the tree. */
export function numberLeaves(p: Predicate, start = 1): Predicate {
  let next = start
  walkLeaves(p, (l) => {
    l.id = next++
  })
  return p
}

/** How many leaves the tree holds (`true` and `false` are not leaves). */
export function countLeaves(p: Predicate): number {
  let n = 0
  walkLeaves(p, () => void n++)
  return n
}

/**
 * A deep copy of plain data such as a predicate (predicates are plain data: ./types.ts), for a
 * tree whose leaves are numbered again; Node's structuredClone takes about ten times longer.
 */
export function clonePlain<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clonePlain) as T
  if (v !== null && typeof v === "object") {
    const o: Record<string, unknown> = {}
    for (const k of Object.keys(v)) o[k] = clonePlain((v as Record<string, unknown>)[k])
    return o as T
  }
  return v
}
