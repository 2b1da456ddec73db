/**
 * Turns an eval/where AST (boolean context) into a Predicate with eval-language leaves.
 *
 * Owns: the mapping of the supported subset — comparisons of a field (optionally wrapped in
 * lower()/upper()) with a literal or another field, like()/LIKE, match(), isnull(),
 * isnotnull(), cidrmatch(), in()/IN, searchmatch(), true()/false(), NOT/AND/OR/XOR.
 *
 * Invariants:
 * - Anything outside the subset becomes an 'unknown' leaf carrying the construct, so a rule is
 *   never silently mis-evaluated; `constructs` lists them for the evaluability verdict.
 * - Literal on the left is normalised to field-on-the-left by mirroring the operator.
 * - searchmatch("…") is parsed with the search-language parser (case-insensitive, wildcards).
 *
 * Must never import: React, Next, Node built-ins.
 */
import { and, not, or } from "../../../predicate/build.ts"
import type { CmpOp, Leaf, Predicate, ValueFn } from "../../../predicate/types.ts"
import { parseEval, type Expr } from "./eval-parser.ts"
import { parseSearch } from "./search-parser.ts"

export type WhereParse = { predicate: Predicate; errors: string[]; constructs: string[]; expr: Expr }

type FieldRef = { field: string; fn?: ValueFn }

const MIRROR: Record<CmpOp, CmpOp> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" }

function fieldRef(e: Expr): FieldRef | null {
  if (e.k === "field") return { field: e.name }
  if (
    e.k === "call" &&
    (e.fn === "lower" || e.fn === "upper" || e.fn === "len") &&
    e.args.length === 1 &&
    e.args[0]?.k === "field"
  )
    return { field: e.args[0].name, fn: e.fn }
  return null
}

function literal(e: Expr): string | null {
  if (e.k === "str" || e.k === "num") return e.v
  if (e.k === "neg" && e.e.k === "num") return `-${e.e.v}`
  return null
}

const withFn = <T extends Leaf>(leaf: T, ref: FieldRef): T => (ref.fn ? { ...leaf, fn: ref.fn } : leaf)

function render(e: Expr): string {
  switch (e.k) {
    case "num":
      return e.v
    case "str":
      return JSON.stringify(e.v)
    case "field":
      return e.name
    case "call":
      return `${e.fn}(${e.args.map(render).join(", ")})`
    case "bin":
      return `${render(e.l)}${e.op}${render(e.r)}`
    case "like":
      return `${render(e.l)} LIKE ${render(e.r)}`
    case "in":
      return `${render(e.l)} IN (${e.list.map(render).join(", ")})`
    case "not":
      return `NOT ${render(e.e)}`
    case "neg":
      return `-${render(e.e)}`
    case "bool":
      return e.args.map(render).join(` ${e.op.toUpperCase()} `)
    case "error":
      return e.text
  }
}

export function exprToPredicate(e: Expr, constructs: string[]): Predicate {
  const unknown = (construct: string, reason: string): Predicate => {
    constructs.push(construct)
    return { op: "unknown", id: 0, construct, reason, text: render(e) }
  }
  const membership = (target: Expr, list: Expr[]): Predicate => {
    const ref = fieldRef(target)
    if (!ref) return unknown("eval-expression", "membership test on a computed value")
    const values = list.map(literal)
    const lits = values.filter((v): v is string => v !== null)
    const others = list.map(fieldRef).filter((r): r is FieldRef => r !== null)
    if (lits.length + others.length !== list.length)
      return unknown("eval-expression", "membership list with computed values")
    const parts: Predicate[] = others.map((o) => ({
      op: "fieldcmp",
      id: 0,
      field: ref.field,
      cmpOp: "=",
      other: o.field,
    }))
    if (lits.length) parts.unshift(withFn({ op: "in", id: 0, field: ref.field, values: lits, lang: "eval" }, ref))
    return or(parts)
  }
  switch (e.k) {
    case "bool":
      return e.op === "and"
        ? and(e.args.map((a) => exprToPredicate(a, constructs)))
        : e.op === "or"
          ? or(e.args.map((a) => exprToPredicate(a, constructs)))
          : { op: "xor", args: e.args.map((a) => exprToPredicate(a, constructs)) }
    case "not":
      return not(exprToPredicate(e.e, constructs))
    case "bin": {
      if (!(e.op in MIRROR)) return unknown("eval-expression", `arithmetic used as a condition: ${render(e)}`)
      const op = e.op as CmpOp
      const [lf, rf, ll, rl] = [fieldRef(e.l), fieldRef(e.r), literal(e.l), literal(e.r)]
      const num = (x: Expr) => (x.k === "num" || x.k === "neg" ? { numeric: true } : {})
      if (lf && rl !== null)
        return withFn({ op: "cmp", id: 0, field: lf.field, cmpOp: op, value: rl, lang: "eval", ...num(e.r) }, lf)
      if (rf && ll !== null)
        return withFn(
          { op: "cmp", id: 0, field: rf.field, cmpOp: MIRROR[op], value: ll, lang: "eval", ...num(e.l) },
          rf,
        )
      if (lf && rf && lf.fn === rf.fn)
        return withFn({ op: "fieldcmp", id: 0, field: lf.field, cmpOp: op, other: rf.field }, lf)
      return unknown("eval-expression", `comparison of computed values: ${render(e)}`)
    }
    case "like": {
      const ref = fieldRef(e.l)
      const pat = literal(e.r)
      if (!ref || pat === null) return unknown("eval-expression", "LIKE on a computed value")
      return withFn({ op: "like", id: 0, field: ref.field, pattern: pat }, ref)
    }
    case "in":
      return membership(e.l, e.list)
    case "call":
      return callToPredicate(e, constructs, unknown, membership)
    default:
      return unknown("eval-expression", `not a condition: ${render(e)}`)
  }
}

function callToPredicate(
  e: Expr & { k: "call" },
  constructs: string[],
  unknown: (c: string, r: string) => Predicate,
  membership: (t: Expr, l: Expr[]) => Predicate,
): Predicate {
  const [a0, a1] = e.args
  const ref0 = a0 ? fieldRef(a0) : null
  const lit1 = a1 ? literal(a1) : null
  switch (e.fn) {
    case "like":
      if (ref0 && lit1 !== null && e.args.length === 2)
        return withFn({ op: "like", id: 0, field: ref0.field, pattern: lit1 }, ref0)
      break
    case "match":
      if (ref0 && lit1 !== null && e.args.length === 2)
        return withFn({ op: "regex", id: 0, field: ref0.field, pattern: lit1, lang: "eval" }, ref0)
      break
    case "isnull":
    case "isnotnull":
      if (a0?.k === "field" && e.args.length === 1) return { op: e.fn, id: 0, field: a0.name }
      break
    case "cidrmatch": {
      const cidr = a0 ? literal(a0) : null
      const ref1 = a1 ? fieldRef(a1) : null
      if (cidr !== null && ref1 && !ref1.fn) return { op: "cidr", id: 0, field: ref1.field, cidr }
      break
    }
    case "in":
      if (a0) return membership(a0, e.args.slice(1))
      break
    case "searchmatch":
      if (a0?.k === "str") {
        const r = parseSearch(a0.v)
        constructs.push(...r.constructs)
        return r.predicate
      }
      break
    case "true":
      return { op: "true" }
    case "false":
      return { op: "false" }
  }
  return unknown(`eval-function`, `${e.fn}() is not supported as a condition`)
}

export function parseWhere(text: string): WhereParse {
  const { expr, errors } = parseEval(text)
  const constructs: string[] = []
  const predicate = errors.length
    ? { op: "unknown" as const, id: 0, construct: "parse-error", reason: errors.join("; "), text }
    : exprToPredicate(expr, constructs)
  if (errors.length) constructs.push("parse-error")
  return { predicate, errors, constructs, expr }
}
