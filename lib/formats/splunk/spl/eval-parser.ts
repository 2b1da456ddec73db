/**
 * Parser for the eval/where expression language into a small AST.
 *
 * Owns: eval precedence, tightest first — primary/call, unary minus, `* / %`, `+ - .`,
 * comparisons (`= == != < <= > >= LIKE IN`), NOT, AND, OR, XOR. So `a OR b AND c` is
 * `a OR (b AND c)` — the opposite of the search command.
 *
 * Invariants:
 * - Function names and the boolean/LIKE/IN keywords are matched case-insensitively (production
 *   content writes `LIKE(...)`); function names are stored lower-cased.
 * - Never throws: problems are collected in `errors` and the AST holds an 'error' node.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { tokenizeEval, type EvalToken } from "./eval-lexer.ts"

export type Expr =
  | { k: "num"; v: string }
  | { k: "str"; v: string }
  | { k: "field"; name: string }
  | { k: "call"; fn: string; args: Expr[] }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "like"; l: Expr; r: Expr }
  | { k: "in"; l: Expr; list: Expr[] }
  | { k: "not"; e: Expr }
  | { k: "bool"; op: "and" | "or" | "xor"; args: Expr[] }
  | { k: "neg"; e: Expr }
  | { k: "error"; text: string }

export type EvalParse = { expr: Expr; errors: string[] }

/**
 * Deepest expression nesting parsed (parentheses, calls, NOT, unary minus, chained operators):
 * the corpus stays under 10; deeper hostile or fuzzed input would overflow the stack here and in
 * every walk of the tree. Past it the rest of the expression is an error.
 */
export const MAX_EVAL_NESTING = 100

type St = { toks: EvalToken[]; i: number; errors: string[]; depth: number }

/** Enter one nesting level; false (and the expression abandoned) when past MAX_EVAL_NESTING. */
function enter(st: St): boolean {
  if (st.depth >= MAX_EVAL_NESTING) {
    if (st.i < st.toks.length) st.errors.push(`expression nested deeper than ${MAX_EVAL_NESTING} levels`)
    st.i = st.toks.length
    return false
  }
  st.depth++
  return true
}

const CMP_OPS = new Set(["=", "==", "!=", "<", "<=", ">", ">="])

const peek = (st: St): EvalToken | undefined => st.toks[st.i]
const isKw = (t: EvalToken | undefined, kw: string): boolean => t?.t === "ident" && t.v.toUpperCase() === kw
const isOp = (t: EvalToken | undefined, op: string): boolean => t?.t === "op" && t.v === op

function fail(st: St, msg: string): Expr {
  st.errors.push(msg)
  return { k: "error", text: msg }
}

function boolLevel(st: St, kw: "XOR" | "OR" | "AND", next: (st: St) => Expr): Expr {
  const args = [next(st)]
  while (isKw(peek(st), kw)) {
    st.i++
    args.push(next(st))
  }
  return args.length === 1 ? (args[0] as Expr) : { k: "bool", op: kw.toLowerCase() as "and" | "or" | "xor", args }
}

/** A whole (sub)expression: the top, a parenthesised group or a call argument. */
function xorExpr(st: St): Expr {
  if (!enter(st)) return { k: "error", text: "too deep" }
  const e = boolLevel(st, "XOR", orExpr)
  st.depth--
  return e
}
const orExpr = (st: St): Expr => boolLevel(st, "OR", andExpr)
const andExpr = (st: St): Expr => boolLevel(st, "AND", notExpr)

function notExpr(st: St): Expr {
  if (isKw(peek(st), "NOT")) {
    st.i++
    if (!enter(st)) return { k: "error", text: "too deep" }
    const e = notExpr(st)
    st.depth--
    return { k: "not", e }
  }
  return cmpExpr(st)
}

function cmpExpr(st: St): Expr {
  const l = addExpr(st)
  const t = peek(st)
  if (t?.t === "op" && CMP_OPS.has(t.v)) {
    st.i++
    return { k: "bin", op: t.v === "==" ? "=" : t.v, l, r: addExpr(st) }
  }
  if (isKw(t, "LIKE")) {
    st.i++
    return { k: "like", l, r: addExpr(st) }
  }
  if (isKw(t, "IN") && isOp(st.toks[st.i + 1], "(")) {
    st.i += 2
    return { k: "in", l, list: argList(st) }
  }
  return l
}

function binLevel(st: St, ops: string[], next: (st: St) => Expr): Expr {
  let l = next(st)
  // Each chained operator deepens the (left-leaning) tree by one level.
  const base = st.depth
  for (let t = peek(st); t?.t === "op" && ops.includes(t.v); t = peek(st)) {
    st.i++
    if (!enter(st)) break
    l = { k: "bin", op: t.v, l, r: next(st) }
  }
  st.depth = base
  return l
}

const addExpr = (st: St): Expr => binLevel(st, ["+", "-", "."], mulExpr)
const mulExpr = (st: St): Expr => binLevel(st, ["*", "/", "%"], unary)

function unary(st: St): Expr {
  if (isOp(peek(st), "-")) {
    st.i++
    if (!enter(st)) return { k: "error", text: "too deep" }
    const e = unary(st)
    st.depth--
    return { k: "neg", e }
  }
  return primary(st)
}

/** Comma-separated expressions up to `)`; the `(` is already consumed. */
function argList(st: St): Expr[] {
  const args: Expr[] = []
  if (isOp(peek(st), ")")) {
    st.i++
    return args
  }
  for (;;) {
    args.push(xorExpr(st))
    const t = peek(st)
    if (isOp(t, ",")) st.i++
    else if (isOp(t, ")")) {
      st.i++
      return args
    } else {
      fail(st, t ? `unexpected ${t.v} in argument list` : "missing )")
      return args
    }
  }
}

function primary(st: St): Expr {
  const t = peek(st)
  if (!t) return fail(st, "unexpected end of expression")
  st.i++
  switch (t.t) {
    case "num":
      return { k: "num", v: t.v }
    case "str":
      return { k: "str", v: t.v }
    case "field":
      return { k: "field", name: t.v }
    case "ident":
      if (isOp(peek(st), "(")) {
        st.i++
        return { k: "call", fn: t.v.toLowerCase(), args: argList(st) }
      }
      return { k: "field", name: t.v }
    case "op":
      if (t.v === "(") {
        const inner = xorExpr(st)
        if (isOp(peek(st), ")")) st.i++
        else fail(st, "missing )")
        return inner
      }
      return fail(st, `unexpected ${t.v}`)
    case "error":
      return fail(st, `unexpected character ${t.v}`)
  }
}

export function parseEval(text: string): EvalParse {
  const st: St = { toks: tokenizeEval(text), i: 0, errors: [], depth: 0 }
  const expr = st.toks.length === 0 ? fail(st, "empty expression") : xorExpr(st)
  if (st.i < st.toks.length) fail(st, `unexpected ${st.toks[st.i]?.v} after expression`)
  return { expr, errors: st.errors }
}

/** Every field referenced by an expression (for derived-field and threshold tracking). */
export function exprFields(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case "field":
      out.add(e.name)
      break
    case "call":
      e.args.forEach((a) => exprFields(a, out))
      break
    case "bin":
    case "like":
      exprFields(e.l, out)
      exprFields(e.r, out)
      break
    case "in":
      exprFields(e.l, out)
      e.list.forEach((a) => exprFields(a, out))
      break
    case "not":
    case "neg":
      exprFields(e.e, out)
      break
    case "bool":
      e.args.forEach((a) => exprFields(a, out))
      break
  }
  return out
}
