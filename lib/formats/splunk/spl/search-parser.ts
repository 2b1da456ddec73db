/**
 * Parser for the search language into a Predicate.
 *
 * Owns: the grammar of the implicit first stage, `| search` and the tstats WHERE clause:
 *   and_expr := or_expr ( ["AND"] or_expr )*        — juxtaposition is AND
 *   or_expr  := not_expr ( "OR" not_expr )*          — OR binds tighter than AND
 *   not_expr := "NOT" not_expr | primary
 *   primary  := "(" and_expr ")" | "[" subsearch "]" | FIELD op VALUE | FIELD IN ( values )
 *             | TERM(x) | CASE(x) | free-text term
 *
 * Invariants:
 * - AND/OR/NOT/IN are operators only in upper case.
 * - Values keep their `*` wildcards and are unescaped once; leaves use lang 'search'.
 * - Never throws: malformed input yields `errors` plus a best-effort predicate; subsearches and
 *   leftover macro calls become 'unknown' leaves and are listed in `constructs`.
 * - Leaf ids are left at 0; the analyser numbers the final tree.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { and, not, or } from "../../../predicate/build.ts"
import type { CmpOp, Leaf, Predicate } from "../../../predicate/types.ts"
import {
  atEnd,
  peekChar,
  peekKeyword,
  readBackticks,
  readBracket,
  readOperator,
  readParenBody,
  readQuoted,
  readValue,
  readWord,
  scanner,
  skipWs,
  type Scanner,
} from "./search-lexer.ts"
import { unescapeSpl } from "./text.ts"

export type SearchParse = { predicate: Predicate; errors: string[]; constructs: string[] }
export type ParseContext = { macroAt?: (pos: number) => string | undefined }

/** Time-range modifiers: not predicates for a single event. */
const TIME_MODIFIERS = new Set([
  "earliest",
  "latest",
  "earliest_time",
  "latest_time",
  "starttime",
  "endtime",
  "timeformat",
  "starthoursago",
  "endhoursago",
  "startdaysago",
  "enddaysago",
  "startminutesago",
  "endminutesago",
  "hoursago",
  "daysago",
  "minutesago",
  "searchtimespanhours",
  "searchtimespandays",
])
/** Index-time metadata and search-time knowledge objects. */
const META_FIELDS = new Set(["index", "source", "sourcetype", "host", "splunk_server", "eventtype", "tag"])

export const isMetaField = (f: string): boolean => META_FIELDS.has(f) || f.startsWith("tag::")

/**
 * Deepest nesting of parentheses and NOTs parsed: the corpus stays under 10; deeper input
 * (hostile or fuzzed) would overflow the stack here and in every tree walk after the parser.
 */
export const MAX_NESTING = 100

type State = { s: Scanner; errors: string[]; constructs: string[]; ctx: ParseContext; depth: number }

function tag<T extends Leaf>(st: State, leaf: T, at: number): T {
  const m = st.ctx.macroAt?.(st.s.base + at)
  if (m !== undefined) leaf.macro = m
  if ("field" in leaf && isMetaField(leaf.field)) leaf.meta = true
  return leaf
}

function unknownLeaf(st: State, construct: string, reason: string, text: string, at: number): Predicate {
  st.constructs.push(construct)
  return tag(st, { op: "unknown", id: 0, construct, reason, text }, at)
}

function comparison(st: State, field: string, cmpOp: CmpOp, raw: string, quoted: boolean, at: number): Predicate {
  if (TIME_MODIFIERS.has(field.toLowerCase())) return { op: "true" }
  let value = raw
  let caseSensitive = false
  const directive = quoted ? null : /^(CASE|TERM)\(([\s\S]*)\)$/.exec(raw)
  if (directive) {
    value = directive[2] as string
    caseSensitive = directive[1] === "CASE"
  }
  const leaf: Leaf = { op: "cmp", id: 0, field, cmpOp, value, lang: "search" }
  if (caseSensitive) leaf.caseSensitive = true
  return tag(st, leaf, at)
}

function inList(st: State, field: string, at: number): Predicate {
  const s = st.s
  s.pos += 2 // IN
  skipWs(s)
  if (s.text[s.pos] !== "(") {
    st.errors.push(`expected ( after ${field} IN`)
    return unknownLeaf(st, "parse-error", "malformed IN list", `${field} IN`, at)
  }
  s.pos++
  const values: string[] = []
  for (;;) {
    skipWs(s)
    const ch = s.text[s.pos]
    if (ch === undefined) {
      st.errors.push(`unterminated IN list for ${field}`)
      break
    }
    if (ch === ")") {
      s.pos++
      break
    }
    if (ch === ",") {
      s.pos++
      continue
    }
    const before = s.pos
    const v = readValue(s, true)
    if (s.pos === before) s.pos++
    else values.push(v.value)
  }
  return tag(st, { op: "in", id: 0, field, values, lang: "search" }, at)
}

/** After a field name (bare or quoted): an operator, IN, or nothing (then it was a term). */
function fieldTail(st: State, field: string, at: number): Predicate | null {
  const s = st.s
  const save = s.pos
  const op = readOperator(s)
  if (op) {
    const v = readValue(s)
    return comparison(st, field, op, v.value, v.quoted, at)
  }
  if (peekKeyword(s, "IN")) {
    const after = s.text.slice(s.pos + 2).trimStart()
    if (after.startsWith("(")) return inList(st, field, at)
  }
  s.pos = save
  return null
}

function primary(st: State): Predicate {
  const s = st.s
  const ch = peekChar(s)
  const at = s.pos
  if (ch === "(") {
    if (st.depth >= MAX_NESTING) return tooDeep(st, at)
    s.pos++
    st.depth++
    const inner = andExpr(st, true)
    st.depth--
    if (peekChar(s) === ")") s.pos++
    else st.errors.push("missing )")
    return inner
  }
  if (ch === "[") {
    const text = readBracket(s)
    return unknownLeaf(st, "subsearch", "a subsearch needs other search results", text, at)
  }
  if (ch === "`") {
    const text = readBackticks(s)
    return unknownLeaf(st, "unresolved-macro", `macro ${text} could not be expanded`, text, at)
  }
  if (ch === '"') {
    const q = readQuoted(s)
    const cmp = fieldTail(st, q.value, at)
    if (cmp) return cmp
    return tag(st, { op: "keyword", id: 0, value: q.value }, at)
  }
  const word = readWord(s)
  if (word === "") {
    st.errors.push(`unexpected ${JSON.stringify(ch)} at ${at}`)
    s.pos++
    return { op: "true" }
  }
  if ((word === "TERM" || word === "CASE") && s.text[s.pos] === "(") {
    const body = unescapeSpl(readParenBody(s))
    st.constructs.push("directive")
    return tag(st, { op: "keyword", id: 0, value: body }, at)
  }
  const cmp = fieldTail(st, word, at)
  if (cmp) return cmp
  if (/^\*+$/.test(word)) return { op: "true" }
  return tag(st, { op: "keyword", id: 0, value: word }, at)
}

/** Past MAX_NESTING: the rest of the group becomes one 'unknown' leaf, parsed no further. */
function tooDeep(st: State, at: number): Predicate {
  const s = st.s
  let text: string
  if (s.text[s.pos] === "(") text = readParenBody(s)
  else {
    text = s.text.slice(s.pos)
    s.pos = s.text.length
  }
  st.errors.push(`nesting deeper than ${MAX_NESTING} levels`)
  return unknownLeaf(st, "parse-error", `nesting deeper than ${MAX_NESTING} levels`, text.slice(0, 200), at)
}

function notExpr(st: State): Predicate {
  if (peekKeyword(st.s, "NOT")) {
    if (st.depth >= MAX_NESTING) return tooDeep(st, st.s.pos)
    st.s.pos += 3
    if (atEnd(st.s)) {
      st.errors.push("NOT without operand")
      return { op: "true" }
    }
    st.depth++
    const inner = notExpr(st)
    st.depth--
    return not(inner)
  }
  return primary(st)
}

function orExpr(st: State): Predicate {
  const args = [notExpr(st)]
  while (peekKeyword(st.s, "OR")) {
    st.s.pos += 2
    if (atEnd(st.s)) break
    args.push(notExpr(st))
  }
  return or(args)
}

function andExpr(st: State, nested: boolean): Predicate {
  const args: Predicate[] = []
  for (;;) {
    if (atEnd(st.s)) break
    const ch = peekChar(st.s)
    if (ch === ")") {
      if (nested) break
      st.errors.push("unbalanced )")
      st.s.pos++
      continue
    }
    if (peekKeyword(st.s, "AND")) {
      st.s.pos += 3
      continue
    }
    args.push(orExpr(st))
  }
  return and(args)
}

/** Parse search-language text. `base` is the text's offset in the expanded search. */
export function parseSearch(text: string, base = 0, ctx: ParseContext = {}): SearchParse {
  const st: State = { s: scanner(text, base), errors: [], constructs: [], ctx, depth: 0 }
  const predicate = andExpr(st, false)
  return { predicate, errors: st.errors, constructs: st.constructs }
}
