/**
 * Interpreter for the eval/where expression language over one row (one event's fields, or a
 * row further down a pipeline).
 *
 * Owns: the values eval computes and Splunk's rules for them — null, multivalue, number/string
 * coercion, three-valued boolean logic — and every eval/where function one row can compute.
 *
 * API (small on purpose; the per-event runner and the log hunt both build on it):
 * - `evalExpr(expr, row, ctx?)` → EvalValue: the value of an expression parsed by `parseEval`.
 * - `evalCondition(expr, row, ctx?)` → true | false | null: the expression in boolean context
 *   (`where`, `if`, `case`); `where` keeps a row only on `true`.
 * - `toRowValue(v)` → the value to store in a row field (`eval x=…`): booleans become null,
 *   a one-value list its single value, an empty list null.
 * - `unsupportedIn(expr)` → names of functions this interpreter cannot compute, for the
 *   evaluability verdict before any event is seen.
 * - `EvalUnsupported`: thrown while evaluating something the interpreter cannot decide (an
 *   unknown function, a regex RE2 cannot run, a non-boolean used as a condition): the caller
 *   turns it into an "undecided" verdict with `reason`.
 *
 * Values: null (absent field, failed conversion), string, number, boolean (comparisons and
 * boolean functions only) or a multivalue list of strings/numbers. Field values are read as
 * text; text that reads as a number takes part in arithmetic and in ordered comparisons as a
 * number. `=` between a string literal and a field compares text exactly; numeric when both
 * sides read as numbers and neither is a string literal.
 *
 * Invariants:
 * - Pure: the clock is `ctx.now` (epoch seconds), never the machine's; time functions work in UTC.
 * - Null propagates: arithmetic, concatenation, comparisons and most functions with a null
 *   argument give null; `NOT null` is null; `AND` is false if any side is false, `OR` true if any
 *   side is true, otherwise null wins over true/false.
 * - Multivalue: comparisons hold when any value holds (`!=` when no value equals); functions of
 *   one string apply to the first value (Splunk behaviour for scalar functions on a list).
 * - Regexes run through re2js (linear time): a pattern RE2 cannot run throws EvalUnsupported.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { RE2JS } from "re2js"
import { cidrTest } from "../../../predicate/cidr.ts"
import { EventView } from "../../../predicate/event-view.ts"
import { compile, evaluate } from "../../../predicate/compile.ts"
import { likeTest, toNumber } from "../../../predicate/glob.ts"
import { compileRegex } from "../../../predicate/regex.ts"
import type { EventValue, Predicate } from "../../../predicate/types.ts"
import type { Expr } from "./eval-parser.ts"

export type Scalar = string | number
export type EvalValue = Scalar | boolean | null | Scalar[]
/** A row: field name → value. Arrays are multivalue fields; null/undefined/[] mean absent. */
export type Row = Readonly<Record<string, EventValue>>

export type EvalContext = {
  /** The search time for `now()` and `relative_time`, in epoch seconds. Default: the row's `_time`, else 0. */
  now?: number
  /**
   * The search-language predicate of a `searchmatch("…")` query (parsed by the caller, so this
   * module stays free of the search parser); undefined leaves searchmatch() undecided.
   */
  searchmatch?: (query: string) => Predicate | undefined
}

export class EvalUnsupported extends Error {
  readonly reason: string
  constructor(reason: string) {
    super(reason)
    this.reason = reason
    this.name = "EvalUnsupported"
  }
}

// ---------------------------------------------------------------- values

function readField(row: Row, name: string): EvalValue {
  if (Object.prototype.hasOwnProperty.call(row, name)) return fromEvent(row[name])
  // An unquoted dotted name is a field when the row has it; otherwise `.` concatenates.
  if (name.includes(".") && !name.startsWith(".") && !name.endsWith(".")) {
    const parts = name.split(".")
    const vals = parts.map((p) => (Object.prototype.hasOwnProperty.call(row, p) ? fromEvent(row[p]) : null))
    if (vals.every((v) => v !== null)) return vals.map((v) => str(first(v))).join("")
  }
  return null
}

function fromEvent(v: EventValue): EvalValue {
  if (v === null || v === undefined) return null
  if (Array.isArray(v)) {
    const out = v.filter((x) => x !== null && x !== undefined).map((x) => (typeof x === "number" ? x : String(x)))
    return out.length === 0 ? null : out.length === 1 ? (out[0] as Scalar) : out
  }
  if (typeof v === "boolean") return v ? "true" : "false"
  return v
}

/** The value to store in a row field: booleans and empty lists are null, one-value lists a scalar. */
export function toRowValue(v: EvalValue): Scalar | Scalar[] | null {
  if (v === null || typeof v === "boolean") return null
  if (Array.isArray(v)) return v.length === 0 ? null : v.length === 1 ? (v[0] as Scalar) : v
  return v
}

const first = (v: EvalValue): Scalar | boolean | null => (Array.isArray(v) ? (v[0] ?? null) : v)

const list = (v: EvalValue): Scalar[] =>
  v === null ? [] : Array.isArray(v) ? v : typeof v === "boolean" ? [v ? "true" : "false"] : [v]

function fmtNumber(n: number): string {
  if (Number.isInteger(n)) return String(n)
  // Splunk prints floats without binary noise (0.1+0.2 shows 0.3).
  return String(Number(n.toPrecision(15)))
}

function str(v: Scalar | boolean | null): string {
  if (v === null) return ""
  if (typeof v === "number") return fmtNumber(v)
  if (typeof v === "boolean") return v ? "true" : "false"
  return v
}

function num(v: Scalar | boolean | null): number | null {
  if (v === null || typeof v === "boolean") return null
  if (typeof v === "number") return Number.isFinite(v) ? v : null
  return toNumber(v)
}

function strArg(v: EvalValue): string | null {
  const f = first(v)
  return f === null ? null : str(f)
}

function numArg(v: EvalValue): number | null {
  return num(first(v))
}

// ---------------------------------------------------------------- regexes

const compiled = new Map<string, RE2JS>()

/** Compiles a PCRE pattern (as written, after string unescaping) for re2js, or throws EvalUnsupported. */
export function re2(pattern: string): RE2JS {
  const hit = compiled.get(pattern)
  if (hit) return hit
  const check = compileRegex(pattern)
  if (!check.ok) throw new EvalUnsupported(check.reason)
  let re: RE2JS
  try {
    re = RE2JS.compile(pattern.replace(/\(\?P</g, "(?<"), RE2JS.LOOKBEHINDS)
  } catch (e) {
    throw new EvalUnsupported(`regex not supported: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (compiled.size >= 2_048) compiled.delete(compiled.keys().next().value as string)
  compiled.set(pattern, re)
  return re
}

function regexTest(pattern: string): (s: string) => boolean {
  const r = compileRegex(pattern)
  if (!r.ok) throw new EvalUnsupported(r.reason)
  return (s) => r.test(s)
}

/** PCRE replacement text (`\1` back-references) → re2js replacement (`$1`, literal `$` doubled). */
function replacement(repl: string): string {
  return repl.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1")
}

// ---------------------------------------------------------------- time

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }

function unitOf(u: string): string | null {
  const x = u.toLowerCase()
  if (/^(s|sec|secs|second|seconds)$/.test(x)) return "s"
  if (/^(m|min|mins|minute|minutes)$/.test(x)) return "m"
  if (/^(h|hr|hrs|hour|hours)$/.test(x)) return "h"
  if (/^(d|day|days)$/.test(x)) return "d"
  if (/^(w|week|weeks|w[0-7])$/.test(x)) return x.length === 2 ? x : "w"
  if (/^(mon|month|months)$/.test(x)) return "mon"
  if (/^(q|qtr|qtrs|quarter|quarters)$/.test(x)) return "q"
  if (/^(y|yr|yrs|year|years)$/.test(x)) return "y"
  return null
}

function addUnit(t: number, n: number, unit: string): number {
  if (unit === "mon" || unit === "q" || unit === "y") {
    const d = new Date(t * 1000)
    const months = unit === "mon" ? n : unit === "q" ? 3 * n : 12 * n
    d.setUTCMonth(d.getUTCMonth() + months)
    return d.getTime() / 1000
  }
  return t + n * (UNIT_SECONDS[unit.startsWith("w") ? "w" : unit] as number)
}

function snap(t: number, unit: string): number {
  const d = new Date(Math.floor(t) * 1000)
  switch (unit) {
    case "s":
      return Math.floor(t)
    case "m":
      return Math.floor(t / 60) * 60
    case "h":
      return Math.floor(t / 3600) * 3600
    case "d":
      return Math.floor(t / 86400) * 86400
    case "mon":
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000
    case "q":
      return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1) / 1000
    case "y":
      return Date.UTC(d.getUTCFullYear(), 0, 1) / 1000
    default: {
      // w = w0 = Sunday; w1..w6 Monday..Saturday; w7 Sunday.
      const want = unit === "w" ? 0 : Number(unit.slice(1)) % 7
      const day = Math.floor(t / 86400) * 86400
      const back = (d.getUTCDay() - want + 7) % 7
      return day - back * 86400
    }
  }
}

/** relative_time(t, "-1d@d"): offsets then an optional snap, in UTC; null on a malformed specifier. */
export function relativeTime(t: number, spec: string): number | null {
  let s = spec.trim()
  if (s === "now" || s === "") return t
  let out = t
  while (s.length) {
    const m = /^([+-])(\d*)([a-zA-Z]+\d?)/.exec(s)
    if (m) {
      const unit = unitOf(m[3] as string)
      if (!unit) return null
      out = addUnit(out, (m[1] === "-" ? -1 : 1) * (m[2] === "" ? 1 : Number(m[2])), unit)
      s = s.slice(m[0].length)
      continue
    }
    const at = /^@([a-zA-Z]+\d?)/.exec(s)
    if (at) {
      const unit = unitOf(at[1] as string)
      if (!unit) return null
      out = snap(out, unit)
      s = s.slice(at[0].length)
      continue
    }
    return null
  }
  return out
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
const MONTHS_LONG = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
]
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
const DAYS_LONG = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
const pad = (n: number, w = 2): string => String(n).padStart(w, "0")

/** strftime in UTC for the common conversion specifiers; others are left as written. */
export function strftime(t: number, fmt: string): string {
  const d = new Date(t * 1000)
  const Y = d.getUTCFullYear()
  const mo = d.getUTCMonth()
  const H = d.getUTCHours()
  return fmt.replace(/%(\d?N|[a-zA-Z%])/g, (all, c: string) => {
    switch (c) {
      case "Y":
        return String(Y)
      case "y":
        return pad(Y % 100)
      case "m":
        return pad(mo + 1)
      case "d":
        return pad(d.getUTCDate())
      case "e":
        return String(d.getUTCDate()).padStart(2, " ")
      case "H":
        return pad(H)
      case "I":
        return pad(H % 12 === 0 ? 12 : H % 12)
      case "p":
        return H < 12 ? "AM" : "PM"
      case "M":
        return pad(d.getUTCMinutes())
      case "S":
        return pad(d.getUTCSeconds())
      case "b":
      case "h":
        return MONTHS[mo] as string
      case "B":
        return MONTHS_LONG[mo] as string
      case "a":
        return DAYS[d.getUTCDay()] as string
      case "A":
        return DAYS_LONG[d.getUTCDay()] as string
      case "w":
        return String(d.getUTCDay())
      case "j":
        return pad(Math.floor((Date.UTC(Y, mo, d.getUTCDate()) - Date.UTC(Y, 0, 1)) / 86400000) + 1, 3)
      case "T":
        return `${pad(H)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
      case "F":
        return `${Y}-${pad(mo + 1)}-${pad(d.getUTCDate())}`
      case "s":
        return String(Math.floor(t))
      case "Z":
        return "UTC"
      case "z":
        return "+0000"
      case "%":
        return "%"
      default:
        if (/^\d?N$/.test(c)) {
          const digits = c.length === 2 ? Number(c[0]) : 9
          return String(Math.round((t - Math.floor(t)) * 1e9))
            .padStart(9, "0")
            .slice(0, digits)
        }
        return all
    }
  })
}

/** strptime in UTC for %Y %y %m %d %e %H %M %S %b %B %T %F %s %z %Z %p %I %N; null when the text does not fit. */
export function strptime(text: string, fmt: string): number | null {
  let re = ""
  const parts: string[] = []
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] as string
    if (c !== "%") {
      re += /\s/.test(c) ? "\\s+" : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      continue
    }
    let spec = fmt[++i] ?? ""
    if (/\d/.test(spec) && fmt[i + 1] === "N") spec = "N" + fmt[++i]
    const expand: Record<string, string> = { T: "%H:%M:%S", F: "%Y-%m-%d" }
    if (expand[spec]) {
      fmt = fmt.slice(0, i - 1) + expand[spec] + fmt.slice(i + 1)
      i -= 2
      continue
    }
    const pat: Record<string, string> = {
      Y: "(\\d{4})",
      y: "(\\d{2})",
      m: "(\\d{1,2})",
      d: "(\\d{1,2})",
      e: "\\s?(\\d{1,2})",
      H: "(\\d{1,2})",
      I: "(\\d{1,2})",
      M: "(\\d{1,2})",
      S: "(\\d{1,2})",
      b: "([A-Za-z]{3})",
      B: "([A-Za-z]+)",
      s: "(\\d+)",
      z: "([+-]\\d{2}:?\\d{2}|Z)",
      Z: "([A-Za-z]+)",
      p: "([AaPp][Mm])",
      N: "(\\d+)",
      "%": "%",
    }
    const key = spec.startsWith("N") ? "N" : spec
    const p = pat[key]
    if (p === undefined) return null
    re += p
    if (p.includes("(")) parts.push(key)
  }
  // The format is rule text: matched through re2js like every pattern from a rule.
  let matcher: ReturnType<RE2JS["matcher"]>
  try {
    matcher = RE2JS.compile(`^\\s*${re}`).matcher(text)
  } catch {
    return null
  }
  if (!matcher.lookingAt()) return null
  const m = Array.from({ length: parts.length + 1 }, (_, i) => matcher.group(i) ?? "")
  let Y = 1970
  let mo = 0
  let d = 1
  let H = 0
  let M = 0
  let S = 0
  let frac = 0
  let offset = 0
  let pm: boolean | null = null
  let epoch: number | null = null
  parts.forEach((k, i) => {
    const v = m[i + 1] as string
    const n = Number(v)
    if (k === "Y") Y = n
    else if (k === "y") Y = n < 69 ? 2000 + n : 1900 + n
    else if (k === "m") mo = n - 1
    else if (k === "d" || k === "e") d = n
    else if (k === "H" || k === "I") H = n
    else if (k === "M") M = n
    else if (k === "S") S = n
    else if (k === "N") frac = Number(`0.${v}`)
    else if (k === "s") epoch = n
    else if (k === "p") pm = v.toLowerCase() === "pm"
    else if (k === "b" || k === "B") {
      const idx = MONTHS.findIndex((x) => x.toLowerCase() === v.slice(0, 3).toLowerCase())
      if (idx >= 0) mo = idx
    } else if (k === "z" && v !== "Z") {
      const z = /([+-])(\d{2}):?(\d{2})/.exec(v)
      if (z) offset = (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 3600 + Number(z[3]) * 60)
    }
  })
  if (epoch !== null) return epoch
  if (pm !== null) H = (H % 12) + (pm ? 12 : 0)
  return Date.UTC(Y, mo, d, H, M, S) / 1000 + frac - offset
}

// ---------------------------------------------------------------- evaluation

type Ctx = { row: Row; now: number; searchmatch?: EvalContext["searchmatch"] }

/** Function names this interpreter computes (lower-case). */
export const EVAL_FUNCTIONS: ReadonlySet<string> = new Set([
  "abs",
  "case",
  "ceil",
  "ceiling",
  "cidrmatch",
  "coalesce",
  "exact",
  "exp",
  "false",
  "floor",
  "if",
  "in",
  "isbool",
  "isint",
  "isnotnull",
  "isnull",
  "isnum",
  "isstr",
  "len",
  "like",
  "ln",
  "log",
  "lower",
  "ltrim",
  "match",
  "max",
  "min",
  "mvappend",
  "mvcount",
  "mvdedup",
  "mvfilter",
  "mvfind",
  "mvindex",
  "mvjoin",
  "mvmap",
  "mvrange",
  "mvsort",
  "mvzip",
  "now",
  "null",
  "nullif",
  "pi",
  "pow",
  "printf",
  "relative_time",
  "replace",
  "round",
  "rtrim",
  "searchmatch",
  "split",
  "sqrt",
  "strftime",
  "strptime",
  "substr",
  "time",
  "tonumber",
  "tostring",
  "trim",
  "true",
  "typeof",
  "upper",
  "urldecode",
  "validate",
])

/** Names of the functions in `expr` this interpreter cannot compute (empty when it can run it all). */
export function unsupportedIn(expr: Expr, out: Set<string> = new Set()): Set<string> {
  switch (expr.k) {
    case "call":
      if (!EVAL_FUNCTIONS.has(expr.fn)) out.add(expr.fn)
      expr.args.forEach((a) => unsupportedIn(a, out))
      break
    case "bin":
    case "like":
      unsupportedIn(expr.l, out)
      unsupportedIn(expr.r, out)
      break
    case "in":
      unsupportedIn(expr.l, out)
      expr.list.forEach((a) => unsupportedIn(a, out))
      break
    case "not":
    case "neg":
      unsupportedIn(expr.e, out)
      break
    case "bool":
      expr.args.forEach((a) => unsupportedIn(a, out))
      break
    case "error":
      out.add("(parse error)")
      break
  }
  return out
}

/** The value of `expr` on `row`. Throws EvalUnsupported for what cannot be computed. */
export function evalExpr(expr: Expr, row: Row, ctx: EvalContext = {}): EvalValue {
  return ev(expr, ctxOf(row, ctx))
}

/** `expr` in boolean context: true, false or null (`where` keeps only true). */
export function evalCondition(expr: Expr, row: Row, ctx: EvalContext = {}): boolean | null {
  return cond(expr, ctxOf(row, ctx))
}

function ctxOf(row: Row, ctx: EvalContext): Ctx {
  const c: Ctx = { row, now: ctx.now ?? nowOf(row) }
  if (ctx.searchmatch) c.searchmatch = ctx.searchmatch
  return c
}

function nowOf(row: Row): number {
  const t = fromEvent(row["_time"])
  return numArg(t) ?? 0
}

function cond(e: Expr, c: Ctx): boolean | null {
  const v = ev(e, c)
  if (v === null || typeof v === "boolean") return v
  throw new EvalUnsupported(`a ${Array.isArray(v) ? "multivalue" : typeof v} value used as a condition`)
}

function ev(e: Expr, c: Ctx): EvalValue {
  switch (e.k) {
    case "num":
      return Number(e.v)
    case "str":
      return e.v
    case "field":
      return readField(c.row, e.name)
    case "neg": {
      const n = numArg(ev(e.e, c))
      return n === null ? null : -n
    }
    case "not": {
      const b = cond(e.e, c)
      return b === null ? null : !b
    }
    case "bool":
      return boolOp(e.op, e.args, c)
    case "bin":
      return binary(e, c)
    case "like": {
      const s = ev(e.l, c)
      const p = strArg(ev(e.r, c))
      if (s === null || p === null) return null
      const t = likeTest(p)
      return list(s).some((x) => t(str(x)))
    }
    case "in": {
      const v = ev(e.l, c)
      if (v === null) return null
      const opts = e.list.map((x) => ev(x, c))
      return list(v).some((x) => opts.some((o) => o !== null && list(o).some((y) => equal(x, y, false))))
    }
    case "call":
      return call(e.fn, e.args, c)
    case "error":
      throw new EvalUnsupported(`could not parse: ${e.text}`)
  }
}

function boolOp(op: "and" | "or" | "xor", args: Expr[], c: Ctx): boolean | null {
  if (op === "xor") {
    let acc: boolean | null = false
    for (const a of args) {
      const b = cond(a, c)
      acc = acc === null || b === null ? null : acc !== b
    }
    return acc
  }
  let sawNull = false
  for (const a of args) {
    const b = cond(a, c)
    if (b === null) sawNull = true
    else if (op === "and" && !b) return false
    else if (op === "or" && b) return true
  }
  return sawNull ? null : op === "and"
}

/** Equality of two scalars: numeric when both read as numbers, unless one side is literal text. */
function equal(a: Scalar | boolean, b: Scalar | boolean, literalText: boolean): boolean {
  if (typeof a === "boolean" || typeof b === "boolean") return a === b
  if (!literalText) {
    const x = num(a)
    const y = num(b)
    if (x !== null && y !== null) return x === y
  }
  return str(a) === str(b)
}

function order(a: Scalar, b: Scalar): number {
  const x = num(a)
  const y = num(b)
  if (x !== null && y !== null) return x - y
  const s = str(a)
  const t = str(b)
  return s < t ? -1 : s > t ? 1 : 0
}

function binary(e: Expr & { k: "bin" }, c: Ctx): EvalValue {
  const l = ev(e.l, c)
  const r = ev(e.r, c)
  switch (e.op) {
    case "=":
    case "!=": {
      if (l === null || r === null) return null
      const literalText = e.l.k === "str" || e.r.k === "str"
      const anyEq = list(l).some((x) => list(r).some((y) => equal(x, y, literalText)))
      if (typeof l === "boolean" || typeof r === "boolean") return e.op === "=" ? l === r : l !== r
      return e.op === "=" ? anyEq : !anyEq
    }
    case "<":
    case "<=":
    case ">":
    case ">=": {
      if (l === null || r === null || typeof l === "boolean" || typeof r === "boolean") return null
      return list(l).some((x) =>
        list(r).some((y) => {
          const d = order(x, y)
          return e.op === "<" ? d < 0 : e.op === "<=" ? d <= 0 : e.op === ">" ? d > 0 : d >= 0
        }),
      )
    }
    case ".": {
      const a = first(l)
      const b = first(r)
      return a === null || b === null ? null : str(a) + str(b)
    }
    case "+": {
      const a = first(l)
      const b = first(r)
      if (a === null || b === null) return null
      const x = num(a)
      const y = num(b)
      // Numeric field values are numbers to Splunk, so two numeric texts add.
      if (x !== null && y !== null) return x + y
      if (typeof a === "string" && typeof b === "string") return a + b
      return null
    }
    default: {
      const x = numArg(l)
      const y = numArg(r)
      if (x === null || y === null) return null
      if (e.op === "-") return x - y
      if (e.op === "*") return x * y
      if (e.op === "/") return y === 0 ? null : x / y
      if (e.op === "%") return y === 0 ? null : x % y
      throw new EvalUnsupported(`operator ${e.op}`)
    }
  }
}

/** Evaluate `body` once per value of the field `name`, the field holding that one value. */
function perValue(name: string, values: Scalar[], body: Expr, c: Ctx): EvalValue[] {
  return values.map((v) => ev(body, { ...c, row: { ...c.row, [name]: typeof v === "number" ? String(v) : v } }))
}

function fieldsOf(e: Expr, out: Set<string> = new Set()): Set<string> {
  if (e.k === "field") out.add(e.name)
  else if (e.k === "call" || e.k === "bool") e.args.forEach((a) => fieldsOf(a, out))
  else if (e.k === "bin" || e.k === "like") {
    fieldsOf(e.l, out)
    fieldsOf(e.r, out)
  } else if (e.k === "in") {
    fieldsOf(e.l, out)
    e.list.forEach((a) => fieldsOf(a, out))
  } else if (e.k === "not" || e.k === "neg") fieldsOf(e.e, out)
  return out
}

function roundHalfAway(x: number, digits: number): number {
  const f = 10 ** digits
  const y = Math.abs(x) * f
  const r = Math.round(Number(y.toPrecision(15)))
  return (Math.sign(x) * r) / f
}

function trimWith(s: string, chars: string, left: boolean, right: boolean): string {
  const set = new Set([...chars])
  const cps = [...s]
  let i = 0
  let j = cps.length
  if (left) while (i < j && set.has(cps[i] as string)) i++
  if (right) while (j > i && set.has(cps[j - 1] as string)) j--
  return cps.slice(i, j).join("")
}

function call(fn: string, args: Expr[], c: Ctx): EvalValue {
  const arity = (min: number, max = min) => {
    if (args.length < min || args.length > max)
      throw new EvalUnsupported(`${fn}() takes ${min === max ? min : `${min} to ${max}`} arguments, not ${args.length}`)
  }
  const a = (i: number): EvalValue => ev(args[i] as Expr, c)
  const s1 = (i: number): string | null => strArg(a(i))
  const n1 = (i: number): number | null => numArg(a(i))
  const math = (f: (x: number) => number): EvalValue => {
    arity(1)
    const x = n1(0)
    if (x === null) return null
    const y = f(x)
    return Number.isFinite(y) ? y : null
  }
  switch (fn) {
    case "true":
      return true
    case "false":
      return false
    case "null":
      return null
    case "if": {
      arity(3)
      return cond(args[0] as Expr, c) === true ? a(1) : a(2)
    }
    case "case": {
      for (let i = 0; i + 1 < args.length; i += 2) if (cond(args[i] as Expr, c) === true) return a(i + 1)
      return null
    }
    case "coalesce":
      for (let i = 0; i < args.length; i++) {
        const v = a(i)
        if (v !== null) return v
      }
      return null
    case "nullif": {
      arity(2)
      const x = a(0)
      const y = a(1)
      if (x === null) return null
      return y !== null && list(x).length === list(y).length && list(x).every((v, i) => equal(v, list(y)[i]!, false))
        ? null
        : x
    }
    case "validate": {
      for (let i = 0; i + 1 < args.length; i += 2) if (cond(args[i] as Expr, c) !== true) return a(i + 1)
      return null
    }
    case "isnull":
      arity(1)
      return a(0) === null
    case "isnotnull":
      arity(1)
      return a(0) !== null
    case "isnum": {
      arity(1)
      const v = first(a(0))
      return v !== null && num(v) !== null
    }
    case "isint": {
      arity(1)
      const v = num(first(a(0)))
      return v !== null && Number.isInteger(v)
    }
    case "isstr": {
      arity(1)
      const v = first(a(0))
      return typeof v === "string" && num(v) === null
    }
    case "isbool": {
      arity(1)
      return typeof a(0) === "boolean"
    }
    case "typeof": {
      arity(1)
      const v = a(0)
      if (v === null) return "Invalid"
      if (typeof v === "boolean") return "Boolean"
      const f = first(v)
      return f !== null && typeof f !== "boolean" && num(f) !== null ? "Number" : "String"
    }
    case "exact":
      arity(1)
      return a(0)
    case "like": {
      arity(2)
      const s = a(0)
      const p = s1(1)
      if (s === null || p === null) return null
      const t = likeTest(p)
      return list(s).some((x) => t(str(x)))
    }
    case "match": {
      arity(2)
      const s = a(0)
      const p = s1(1)
      if (s === null || p === null) return null
      const t = regexTest(p)
      return list(s).some((x) => t(str(x)))
    }
    case "searchmatch": {
      arity(1)
      const q = s1(0)
      if (q === null) return null
      const p = c.searchmatch?.(q)
      if (!p) throw new EvalUnsupported(`searchmatch("${q}") was not parsed`)
      const r = evaluate(compile(p), new EventView({ ...c.row }), { metadata: "strict" }).matched
      if (r === "unknown") throw new EvalUnsupported("searchmatch() holds a construct that cannot be decided")
      return r
    }
    case "cidrmatch": {
      arity(2)
      const cidr = s1(0)
      const ip = a(1)
      if (cidr === null || ip === null) return null
      const t = cidrTest(cidr)
      if (!t) return false
      return list(ip).some((x) => t(str(x)))
    }
    case "in": {
      if (args.length < 1) arity(1, Infinity)
      const v = a(0)
      if (v === null) return null
      const opts = args.slice(1).map((_, i) => a(i + 1))
      return list(v).some((x) => opts.some((o) => o !== null && list(o).some((y) => equal(x, y, true))))
    }
    case "lower":
    case "upper": {
      arity(1)
      const v = a(0)
      if (v === null) return null
      const m = (x: Scalar) => (fn === "lower" ? str(x).toLowerCase() : str(x).toUpperCase())
      return Array.isArray(v) ? v.map(m) : m(first(v) as Scalar)
    }
    case "len": {
      arity(1)
      const s = s1(0)
      return s === null ? null : [...s].length
    }
    case "substr": {
      arity(2, 3)
      const s = s1(0)
      const start = n1(1)
      const len = args.length === 3 ? n1(2) : undefined
      if (s === null || start === null || len === null) return null
      const cps = [...s]
      let from = start > 0 ? start - 1 : start < 0 ? Math.max(0, cps.length + start) : 0
      from = Math.floor(from)
      const to = len === undefined ? cps.length : from + Math.max(0, Math.floor(len))
      return cps.slice(from, to).join("")
    }
    case "trim":
    case "ltrim":
    case "rtrim": {
      arity(1, 2)
      const s = s1(0)
      const chars = args.length === 2 ? s1(1) : " \t"
      if (s === null || chars === null) return null
      return trimWith(s, chars, fn !== "rtrim", fn !== "ltrim")
    }
    case "replace": {
      arity(3)
      const s = a(0)
      const p = s1(1)
      const r = s1(2)
      if (s === null || p === null || r === null) return null
      const re = re2(p)
      const out = list(s).map((x) => re.matcher(str(x)).replaceAll(replacement(r)))
      return Array.isArray(s) ? out : (out[0] as string)
    }
    case "urldecode": {
      arity(1)
      const s = s1(0)
      if (s === null) return null
      try {
        return decodeURIComponent(s.replace(/\+/g, " "))
      } catch {
        return s
      }
    }
    case "split": {
      arity(2)
      const s = s1(0)
      const sep = s1(1)
      if (s === null || sep === null) return null
      return sep === "" ? [...s] : s.split(sep)
    }
    case "mvcount": {
      arity(1)
      const v = a(0)
      return v === null ? null : list(v).length
    }
    case "mvindex": {
      arity(2, 3)
      const v = a(0)
      const i = n1(1)
      const j = args.length === 3 ? n1(2) : undefined
      if (v === null || i === null || j === null) return null
      const vals = list(v)
      const at = (k: number) => (k < 0 ? vals.length + k : k)
      const from = at(Math.trunc(i))
      if (from < 0 || from >= vals.length) return null
      if (j === undefined) return vals[from] as Scalar
      const to = Math.min(at(Math.trunc(j)), vals.length - 1)
      if (to < from) return null
      const out = vals.slice(from, to + 1)
      return out.length === 1 ? (out[0] as Scalar) : out
    }
    case "mvfind": {
      arity(2)
      const v = a(0)
      const p = s1(1)
      if (v === null || p === null) return null
      const t = regexTest(p)
      const i = list(v).findIndex((x) => t(str(x)))
      return i < 0 ? null : i
    }
    case "mvjoin": {
      arity(2)
      const v = a(0)
      const sep = s1(1)
      if (v === null || sep === null) return null
      return list(v).map(str).join(sep)
    }
    case "mvappend": {
      const out: Scalar[] = []
      for (let i = 0; i < args.length; i++) out.push(...list(a(i)))
      return out.length === 0 ? null : out
    }
    case "mvdedup": {
      arity(1)
      const v = a(0)
      if (v === null) return null
      const seen = new Set<string>()
      return list(v).filter((x) => !seen.has(str(x)) && !!seen.add(str(x)))
    }
    case "mvsort": {
      arity(1)
      const v = a(0)
      if (v === null) return null
      return [...list(v)].map(str).sort()
    }
    case "mvzip": {
      arity(2, 3)
      const x = a(0)
      const y = a(1)
      const sep = args.length === 3 ? s1(2) : ","
      if (x === null || y === null || sep === null) return null
      const xs = list(x)
      const ys = list(y)
      const n = Math.min(xs.length, ys.length)
      const out: string[] = []
      for (let i = 0; i < n; i++) out.push(str(xs[i] as Scalar) + sep + str(ys[i] as Scalar))
      return out
    }
    case "mvrange": {
      arity(2, 3)
      const from = n1(0)
      const to = n1(1)
      const step = args.length === 3 ? n1(2) : 1
      if (from === null || to === null || step === null || step <= 0) return null
      const out: number[] = []
      for (let x = from; x < to && out.length < 10_000; x += step) out.push(x)
      return out
    }
    case "mvfilter": {
      arity(1)
      const body = args[0] as Expr
      const names = [...fieldsOf(body)]
      if (names.length !== 1) throw new EvalUnsupported("mvfilter() must reference exactly one field")
      const name = names[0] as string
      const v = readField(c.row, name)
      if (v === null) return null
      const vals = list(v)
      const kept = vals.filter((x) => {
        const r = ev(body, { ...c, row: { ...c.row, [name]: typeof x === "number" ? String(x) : x } })
        if (r !== null && typeof r !== "boolean") throw new EvalUnsupported("mvfilter() needs a condition")
        return r === true
      })
      return kept.length === 0 ? null : kept
    }
    case "mvmap": {
      arity(2)
      const target = args[0] as Expr
      const v = a(0)
      if (v === null) return null
      if (target.k !== "field") {
        // mvmap over a computed list: Splunk requires a field; evaluate with no per-value binding.
        throw new EvalUnsupported("mvmap() over a computed value")
      }
      const out = perValue(target.name, list(v), args[1] as Expr, c).flatMap((x) => list(x))
      return out.length === 0 ? null : out
    }
    case "abs":
      return math(Math.abs)
    case "ceil":
    case "ceiling":
      return math(Math.ceil)
    case "floor":
      return math(Math.floor)
    case "sqrt":
      return math(Math.sqrt)
    case "exp":
      return math(Math.exp)
    case "ln":
      return math(Math.log)
    case "log": {
      arity(1, 2)
      const x = n1(0)
      const b = args.length === 2 ? n1(1) : 10
      if (x === null || b === null) return null
      const y = Math.log(x) / Math.log(b)
      return Number.isFinite(y) ? y : null
    }
    case "pow": {
      arity(2)
      const x = n1(0)
      const y = n1(1)
      if (x === null || y === null) return null
      const r = x ** y
      return Number.isFinite(r) ? r : null
    }
    case "pi":
      arity(0)
      return Math.PI
    case "round": {
      arity(1, 2)
      const x = n1(0)
      const d = args.length === 2 ? n1(1) : 0
      if (x === null || d === null) return null
      return roundHalfAway(x, Math.max(0, Math.trunc(d)))
    }
    case "min":
    case "max": {
      const vals: Scalar[] = []
      for (let i = 0; i < args.length; i++) vals.push(...list(a(i)))
      if (vals.length === 0) return null
      // Numbers order before text; numbers compare numerically, text lexicographically.
      const key = (x: Scalar) => num(x)
      let best = vals[0] as Scalar
      for (const x of vals.slice(1)) {
        const kx = key(x)
        const kb = key(best)
        const less =
          kx !== null && kb !== null ? kx < kb : kx !== null ? true : kb !== null ? false : str(x) < str(best)
        if (fn === "min" ? less : !less && str(x) !== str(best)) best = x
      }
      return num(best) ?? best
    }
    case "tonumber": {
      arity(1, 2)
      const s = s1(0)
      const base = args.length === 2 ? n1(1) : 10
      if (s === null || base === null) return null
      if (base === 10) return toNumber(s)
      const t = s.trim().replace(/^0x/i, "")
      if (!/^[0-9a-z]+$/i.test(t)) return null
      const n = Number.parseInt(t, base)
      return Number.isNaN(n) || n.toString(base).toLowerCase() !== t.toLowerCase().replace(/^0+(?=.)/, "") ? null : n
    }
    case "tostring": {
      arity(1, 2)
      const v = a(0)
      if (v === null) return null
      if (typeof v === "boolean") return v ? "True" : "False"
      if (args.length === 1) return Array.isArray(v) ? v.map(str) : str(v)
      const how = s1(1)
      const n = numArg(v)
      if (n === null) return str(first(v))
      if (how === "hex") return `0x${Math.trunc(n).toString(16).toUpperCase()}`
      if (how === "commas") {
        const r = Number.isInteger(n) ? n : roundHalfAway(n, 2)
        const [i, f] = String(r).split(".")
        return (i as string).replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (f ? `.${f}` : "")
      }
      if (how === "duration") {
        const t = Math.trunc(n)
        const days = Math.floor(t / 86400)
        const hms = `${pad(Math.floor((t % 86400) / 3600))}:${pad(Math.floor((t % 3600) / 60))}:${pad(t % 60)}`
        return days > 0 ? `${days}+${hms}` : hms
      }
      return str(first(v))
    }
    case "printf": {
      if (args.length < 1) arity(1, Infinity)
      const f = s1(0)
      if (f === null) return null
      let k = 1
      return f.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdif%])/g, (_all, flags: string, width: string, prec, conv) => {
        if (conv === "%") return "%"
        const v = k < args.length ? a(k++) : null
        let out: string
        if (conv === "s") out = v === null ? "" : str(first(v))
        else {
          const n = numArg(v) ?? 0
          out = conv === "f" ? n.toFixed(prec === undefined ? 6 : Number(prec)) : String(Math.trunc(n))
        }
        const w = Number(width || 0)
        return flags.includes("-") ? out.padEnd(w) : out.padStart(w, flags.includes("0") && conv !== "s" ? "0" : " ")
      })
    }
    case "now":
    case "time":
      arity(0)
      return c.now
    case "relative_time": {
      arity(2)
      const t = n1(0)
      const spec = s1(1)
      if (t === null || spec === null) return null
      return relativeTime(t, spec)
    }
    case "strftime": {
      arity(2)
      const t = n1(0)
      const f = s1(1)
      if (t === null || f === null) return null
      return strftime(t, f)
    }
    case "strptime": {
      arity(2)
      const s = s1(0)
      const f = s1(1)
      if (s === null || f === null) return null
      return strptime(s, f)
    }
  }
  throw new EvalUnsupported(`${fn}() is not supported by the eval interpreter`)
}
