/**
 * EQL (Elasticsearch Event Query Language) parsed into the shared predicate.
 *
 * Owns: the grammar of the queries Elastic's detection rules write (single-event
 * `category where condition`, `sequence`, `sample`, `| head`/`| tail` pipes) and the meaning of
 * each comparison for one event.
 *
 * Semantics kept:
 * - `==`, `!=`, `in`, `like`, `regex` are case-sensitive; `:`, `in~`, `like~`, `regex~` and the
 *   `~` functions ignore case. `*` and `?` are wildcards only in `:` and `like`.
 * - Patterns and regexes match the whole value; regexes are Lucene syntax (anchored).
 * - A missing field (or `?field`, which only changes whether Elasticsearch accepts the query)
 *   makes positive tests false and `!=` / `not` true; `== null` / `!= null` test presence.
 * - Arrays (`process.args`): any element; negations negate the any-result.
 * - The event category is tested against `event.category` (or the rule's override field);
 *   `any` matches every event.
 * - What cannot be decided on one event (field-to-field comparisons, arithmetic, functions whose
 *   value is compared to something other than a literal) becomes an `unknown` leaf with a reason.
 *
 * Never imports: React, Next, Node built-ins.
 */
import { and, numberLeaves, or } from "../../predicate/build.ts"
import type { CmpOp, Predicate } from "../../predicate/types.ts"
import {
  exactLeaf,
  existsLeaf,
  luceneRegexLeaf,
  notP,
  orderLeaf,
  patternLeaf,
  rangeLeaf,
  unknownLeaf,
} from "./leaves.ts"
import { QueryError, tokenize, type Token } from "./lexer.ts"

export { QueryError } from "./lexer.ts"

/** One `[category where condition]` of a sequence or sample, or the whole single-event query. */
export type EqlStage = {
  category: string
  /** The stage's condition, category test included; leaf ids numbered per stage. */
  predicate: Predicate
  /** The stage's source text. */
  text: string
  /** Per-stage join keys (`[…] by f`). */
  by: string[]
  /** `with runs=N` on the stage. */
  runs?: number
  /** A missing-event stage `![…]`: the sequence requires that no such event occurs. */
  missing?: boolean
}

export type EqlQuery = {
  kind: "event" | "sequence" | "sample"
  stages: EqlStage[]
  /** Join keys of `sequence by` / `sample by`. */
  by: string[]
  maxspan?: string
  /** `until [ … ]` of a sequence. */
  until?: EqlStage
  pipes: string[]
}

/** Expression tree of a condition, before translation. */
type Expr =
  | { k: "and" | "or"; args: Expr[] }
  | { k: "not"; arg: Expr }
  | { k: "field"; name: string; optional: boolean }
  | { k: "lit"; value: string | number | boolean | null }
  | { k: "call"; name: string; args: Expr[] }
  | { k: "cmp"; op: string; left: Expr; right: Expr }
  | { k: "set"; op: string; negated: boolean; left: Expr; right: Expr[] }
  | { k: "arith"; op: string; left: Expr; right: Expr }

const SET_OPS = new Set(["in", "in~", ":", "like", "like~", "regex", "regex~"])
const CMP_OPS = new Set(["==", "!=", "<", "<=", ">", ">="])

class Parser {
  private i = 0
  private readonly toks: Token[]
  private readonly src: string
  constructor(toks: Token[], src: string) {
    this.toks = toks
    this.src = src
  }

  peek(n = 0): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!
  }
  next(): Token {
    return this.toks[this.i++]!
  }
  isWord(w: string, n = 0): boolean {
    const t = this.peek(n)
    return t.kind === "ident" && !t.quoted && !t.optional && t.text.toLowerCase() === w
  }
  isOp(o: string, n = 0): boolean {
    const t = this.peek(n)
    return t.kind === "op" && t.text === o
  }
  expectOp(o: string): Token {
    if (!this.isOp(o)) this.fail(`expected "${o}"`)
    return this.next()
  }
  expectWord(w: string): Token {
    if (!this.isWord(w)) this.fail(`expected "${w}"`)
    return this.next()
  }
  fail(what: string, t: Token = this.peek()): never {
    const got = t.kind === "eof" ? "end of query" : JSON.stringify(t.text)
    throw new QueryError(`${what}, found ${got}`, t.offset)
  }

  query(): EqlQuery {
    let q: EqlQuery
    if (this.isWord("sequence")) q = this.sequence()
    else if (this.isWord("sample")) q = this.sample()
    else {
      const start = this.peek().offset
      const [category, cond] = this.eventQuery()
      q = {
        kind: "event",
        stages: [{ category, predicate: cond, text: this.src.slice(start, this.peek().offset).trim(), by: [] }],
        by: [],
        pipes: [],
      }
    }
    while (this.isOp("|")) {
      this.next()
      const name = this.next()
      if (name.kind !== "ident") this.fail("expected a pipe name", name)
      let text = name.text
      if (this.peek().kind === "number") text += ` ${this.next().text}`
      q.pipes.push(text)
    }
    if (this.peek().kind !== "eof") this.fail("expected the end of the query")
    return q
  }

  /** `category where condition` → [category, condition predicate]. */
  eventQuery(): [string, Predicate] {
    const cat = this.next()
    if (cat.kind !== "ident" && cat.kind !== "string") this.fail("expected an event category", cat)
    this.expectWord("where")
    const cond = this.expr()
    return [cat.text, translate(cond, this.src)]
  }

  byList(): string[] {
    const out: string[] = []
    do {
      const t = this.next()
      if (t.kind !== "ident") this.fail("expected a field name after by", t)
      out.push(t.text)
      if (!this.isOp(",")) break
      this.next()
    } while (this.peek().kind !== "eof")
    return out
  }

  withClause(): Record<string, string> {
    this.expectWord("with")
    const out: Record<string, string> = {}
    do {
      const key = this.next()
      if (key.kind !== "ident") this.fail("expected a parameter after with", key)
      this.expectOp("=")
      let v = ""
      const val = this.next()
      v = val.text
      // `maxspan=5m` lexes as a number then an identifier.
      if (val.kind === "number" && this.peek().kind === "ident" && this.peek().offset === val.offset + val.text.length)
        v += this.next().text
      out[key.text.toLowerCase()] = v
      if (!this.isOp(",")) break
      this.next()
    } while (this.peek().kind !== "eof")
    return out
  }

  stage(): EqlStage {
    const missing = this.isOp("!")
    if (missing) this.next()
    const open = this.expectOp("[")
    const [category, predicate] = this.eventQuery()
    const close = this.expectOp("]")
    const stage: EqlStage = { category, predicate, text: this.src.slice(open.offset + 1, close.offset).trim(), by: [] }
    if (missing) stage.missing = true
    if (this.isWord("by")) {
      this.next()
      stage.by = this.byList()
    }
    if (this.isWord("with") && !this.isOp("[", 1)) {
      const w = this.withClause()
      if (w.runs !== undefined) stage.runs = Number(w.runs)
    }
    return stage
  }

  sequence(): EqlQuery {
    this.next()
    const q: EqlQuery = { kind: "sequence", stages: [], by: [], pipes: [] }
    for (;;) {
      if (this.isWord("by")) {
        this.next()
        q.by = this.byList()
      } else if (this.isWord("with")) {
        const w = this.withClause()
        if (w.maxspan !== undefined) q.maxspan = w.maxspan
      } else break
    }
    while (this.isOp("[") || this.isOp("!")) q.stages.push(this.stage())
    if (q.stages.length === 0) this.fail("expected a [stage] in the sequence")
    if (this.isWord("until")) {
      this.next()
      q.until = this.stage()
    }
    return q
  }

  sample(): EqlQuery {
    this.next()
    const q: EqlQuery = { kind: "sample", stages: [], by: [], pipes: [] }
    if (this.isWord("by")) {
      this.next()
      q.by = this.byList()
    }
    while (this.isOp("[")) q.stages.push(this.stage())
    if (q.stages.length === 0) this.fail("expected a [stage] in the sample")
    return q
  }

  expr(): Expr {
    const args = [this.andExpr()]
    while (this.isWord("or")) {
      this.next()
      args.push(this.andExpr())
    }
    return args.length === 1 ? args[0]! : { k: "or", args }
  }
  andExpr(): Expr {
    const args = [this.notExpr()]
    while (this.isWord("and")) {
      this.next()
      args.push(this.notExpr())
    }
    return args.length === 1 ? args[0]! : { k: "and", args }
  }
  notExpr(): Expr {
    if (this.isWord("not")) {
      this.next()
      return { k: "not", arg: this.notExpr() }
    }
    return this.comparison()
  }
  comparison(): Expr {
    const left = this.sum()
    const t = this.peek()
    if (t.kind === "op" && CMP_OPS.has(t.text)) {
      this.next()
      return { k: "cmp", op: t.text, left, right: this.sum() }
    }
    let negated = false
    if (this.isWord("not") && this.peek(1).kind === "ident" && SET_OPS.has(this.peek(1).text.toLowerCase())) {
      this.next()
      negated = true
    }
    const s = this.peek()
    const op = s.kind === "op" && s.text === ":" ? ":" : s.kind === "ident" && !s.quoted ? s.text.toLowerCase() : ""
    if (SET_OPS.has(op)) {
      this.next()
      if (this.isOp("(")) {
        this.next()
        const right: Expr[] = []
        if (!this.isOp(")"))
          for (;;) {
            right.push(this.sum())
            if (!this.isOp(",")) break
            this.next()
          }
        this.expectOp(")")
        return { k: "set", op, negated, left, right }
      }
      return { k: "set", op, negated, left, right: [this.sum()] }
    }
    if (negated) this.fail("expected in, like, regex or :")
    return left
  }
  sum(): Expr {
    let left = this.product()
    while (this.isOp("+") || this.isOp("-")) {
      const op = this.next().text
      left = { k: "arith", op, left, right: this.product() }
    }
    return left
  }
  product(): Expr {
    let left = this.unary()
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const op = this.next().text
      left = { k: "arith", op, left, right: this.unary() }
    }
    return left
  }
  unary(): Expr {
    if (this.isOp("-") && this.peek(1).kind === "number") {
      this.next()
      return { k: "lit", value: -Number(this.next().text) }
    }
    return this.primary()
  }
  primary(): Expr {
    const t = this.next()
    if (t.kind === "op" && t.text === "(") {
      const e = this.expr()
      this.expectOp(")")
      return e
    }
    if (t.kind === "string") return { k: "lit", value: t.text }
    if (t.kind === "number") return { k: "lit", value: Number(t.text) }
    if (t.kind === "ident") {
      if (!t.quoted && !t.optional) {
        const w = t.text.toLowerCase()
        if (w === "true" || w === "false") return { k: "lit", value: w === "true" }
        if (w === "null") return { k: "lit", value: null }
        if (this.isOp("(")) {
          this.next()
          const args: Expr[] = []
          if (!this.isOp(")"))
            for (;;) {
              args.push(this.expr())
              if (!this.isOp(",")) break
              this.next()
            }
          this.expectOp(")")
          return { k: "call", name: t.text, args }
        }
        if (
          ["and", "or", "not", "where", "by", "with", "until", "in", "like", "regex", "sequence", "sample"].includes(w)
        )
          this.fail("expected a field or a value", t)
      }
      return { k: "field", name: t.text, optional: !!t.optional }
    }
    this.fail("expected a field or a value", t)
  }
}

/** The text of a literal as the event compares it (keyword fields hold numbers as text). */
const litText = (v: string | number | boolean | null): string => String(v)

function show(e: Expr): string {
  switch (e.k) {
    case "field":
      return (e.optional ? "?" : "") + e.name
    case "lit":
      return typeof e.value === "string" ? JSON.stringify(e.value) : String(e.value)
    case "call":
      return `${e.name}(${e.args.map(show).join(", ")})`
    case "cmp":
    case "arith":
      return `${show(e.left)} ${e.op} ${show(e.right)}`
    case "set":
      return `${show(e.left)}${e.negated ? " not" : ""} ${e.op} (${e.right.map(show).join(", ")})`
    case "not":
      return `not ${show(e.arg)}`
    case "and":
    case "or":
      return e.args.map(show).join(` ${e.k} `)
  }
}

const FLIP: Record<string, CmpOp> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "=", "!=": "!=" }

/** `startsWith`, `endsWith`, `stringContains` as patterns over a literal argument. */
function stringFn(name: string, field: string, args: string[], ci: boolean): Predicate | undefined {
  const star = (s: string) => s.includes("*") || s.includes("?")
  const mk = (v: string): Predicate => {
    // The functions take literals: a `*` or `?` inside stays a character, so such a value goes
    // through an exact regex (patternLeaf would read it as a wildcard).
    const quoted = star(v)
    if (name === "startswith")
      return quoted ? exactLike(field, v, "prefix", ci) : patternLeaf(field, `${v}*`, ci, false)
    if (name === "endswith") return quoted ? exactLike(field, v, "suffix", ci) : patternLeaf(field, `*${v}`, ci, false)
    return quoted ? exactLike(field, v, "infix", ci) : patternLeaf(field, `*${v}*`, ci, false)
  }
  if (!["startswith", "endswith", "stringcontains"].includes(name)) return undefined
  return or(args.map(mk))
}

function exactLike(field: string, v: string, where: "prefix" | "suffix" | "infix", ci: boolean): Predicate {
  const q = v.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")
  const src = where === "prefix" ? `${q}.*` : where === "suffix" ? `.*${q}` : `.*${q}.*`
  return { op: "regex", id: 0, field, pattern: `${ci ? "(?is)" : "(?s)"}^(?:${src})$`, lang: "search" }
}

function translate(e: Expr, src: string): Predicate {
  const unknown = (reason: string): Predicate => unknownLeaf("eql", reason, show(e))
  switch (e.k) {
    case "and":
      return and(e.args.map((a) => translate(a, src)))
    case "or":
      return or(e.args.map((a) => translate(a, src)))
    case "not":
      return notP(translate(e.arg, src))
    case "lit":
      if (typeof e.value === "boolean") return { op: e.value ? "true" : "false" }
      return unknown("a bare value is not a condition")
    case "field":
      return unknown("a bare field is not a condition")
    case "arith":
      return unknown("arithmetic is not evaluated")
    case "call": {
      const name = e.name.toLowerCase()
      const ci = name.endsWith("~")
      const base = ci ? name.slice(0, -1) : name
      const [first, ...rest] = e.args
      if (first?.k !== "field") return unknown(`${e.name}() on something other than a field`)
      if (base === "cidrmatch") {
        if (!rest.every((a) => a.k === "lit" && typeof a.value === "string"))
          return unknown("cidrMatch() with a non-literal subnet")
        return or(
          rest.map((a) => ({
            op: "cidr",
            id: 0,
            field: first.name,
            cidr: String((a as { value: string }).value),
            lang: "search",
          })),
        )
      }
      if (!rest.every((a) => a.k === "lit" && typeof a.value === "string"))
        return unknown(`${e.name}() with a non-literal argument`)
      const p = stringFn(
        base,
        first.name,
        rest.map((a) => String((a as { value: string }).value)),
        ci,
      )
      return p ?? unknown(`${e.name}() is not evaluated as a condition`)
    }
    case "cmp": {
      let { left, right } = e
      let op = e.op
      if (left.k === "lit" && right.k !== "lit") {
        ;[left, right] = [right, left]
        op = op === "==" || op === "!=" ? op : FLIP[op] === "=" ? "==" : FLIP[op]!
      }
      if (left.k === "call" && left.args[0]?.k === "field" && right.k === "lit" && typeof right.value === "number") {
        const fn = left.name.toLowerCase()
        if (fn === "length") {
          const leaf: Predicate = {
            op: "cmp",
            id: 0,
            field: left.args[0].name,
            cmpOp: op === "==" ? "=" : (op as CmpOp),
            value: String(right.value),
            lang: "eval",
            fn: "len",
            numeric: true,
          }
          return leaf
        }
      }
      if (left.k === "call" && right.k === "lit" && typeof right.value === "boolean") {
        const p = translate(left, src)
        const wantTrue = (op === "==") === right.value
        return op === "==" || op === "!=" ? (wantTrue ? p : notP(p)) : unknown("ordered comparison with a boolean")
      }
      if (left.k !== "field")
        return unknown(
          left.k === "call" ? `the value of ${left.name}() is not evaluated` : "comparison of a computed value",
        )
      if (right.k === "field") return unknown("comparing a field to another field is not allowed in EQL")
      if (right.k !== "lit") return unknown("comparison with a computed value")
      const field = left.name
      const v = right.value
      if (v === null) {
        if (op === "==") return { op: "isnull", id: 0, field }
        if (op === "!=") return existsLeaf(field)
        return unknown("ordered comparison with null")
      }
      if (op === "==" || op === "!=") {
        const leaf = exactLeaf(field, litText(v), false)
        return op === "==" ? leaf : notP(leaf)
      }
      const cop = op as CmpOp
      return typeof v === "number" ? rangeLeaf(field, cop, String(v)) : orderLeaf(field, cop, litText(v))
    }
    case "set": {
      if (e.left.k !== "field") return unknown(`${e.op} on a computed value`)
      const field = e.left.name
      const op = e.op
      const ci = op.endsWith("~") || op === ":"
      const base = op.replace("~", "")
      const parts: Predicate[] = []
      for (const r of e.right) {
        if (r.k !== "lit") return unknown(`${op} with a non-literal value`)
        if (r.value === null) {
          parts.push({ op: "isnull", id: 0, field })
          continue
        }
        const v = litText(r.value)
        if (base === "in") parts.push(exactLeaf(field, v, ci))
        else if (base === ":" || base === "like") parts.push(patternLeaf(field, v, ci, true))
        else {
          const leaf = luceneRegexLeaf(field, v, ci)
          if (typeof leaf === "string") return unknown(leaf)
          parts.push(leaf)
        }
      }
      const p = or(parts)
      return e.negated ? notP(p) : p
    }
  }
}

/** Parse one EQL query. Throws QueryError (with the offset in `src`) when it does not parse. */
export function parseEql(src: string, categoryField = "event.category"): EqlQuery {
  const p = new Parser(tokenize(src), src)
  const q = p.query()
  const withCategory = (s: EqlStage): EqlStage => {
    const cat = s.category.toLowerCase() === "any" ? [] : [exactLeaf(categoryField, s.category, false)]
    return { ...s, predicate: numberLeaves(and([...cat, s.predicate])) }
  }
  q.stages = q.stages.map(withCategory)
  if (q.until) q.until = withCategory(q.until)
  return q
}
