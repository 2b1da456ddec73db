/**
 * The shared predicate → SPL text: the part the search language can say (case-insensitive `*`
 * globs, IN lists, field presence, free-text terms) and the part only `where` can say (regular
 * expressions, case-sensitive values, CIDR, numeric order, field-to-field comparison).
 *
 * Owns: SPL quoting and escaping, the split of a predicate into a search expression and a where
 * expression, and the reasons a leaf cannot be written.
 * Invariants:
 * - The top-level conjunction is split, never a term out of its OR group: a conjunct goes to the
 *   search part only if every leaf in it can be said there, else the whole conjunct goes to where.
 * - A value with a literal `*` never reaches the search language (Splunk cannot escape it: `\*`
 *   is a backslash and a wildcard); the Sigma compiler makes such values regex leaves, written
 *   with match().
 * - Sigma leaves are false on a missing field, also under NOT; where's functions are NULL there
 *   and NOT NULL drops the event, so a leaf under an odd number of NOTs is guarded with
 *   isnotnull().
 * - Case: search `=` and IN are case-insensitive like Sigma; match() is not, so globs written as
 *   regexes get `(?i)` unless the Sigma value was `cased`.
 * Never imports: React, Next, Node built-ins.
 */
import type { Leaf, Predicate } from "../predicate/types.ts"
import { isLeaf } from "../predicate/types.ts"

export class Untranslatable extends Error {}

/** A field name as the search language reads it. */
export function searchField(f: string): string {
  if (/^[A-Za-z_][\w.:{}@-]*$/.test(f)) return f
  return `"${f.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`
}

/** A field name as eval/where reads it: bare, or single-quoted. */
export function evalField(f: string): string {
  if (/^[A-Za-z_]\w*$/.test(f)) return f
  if (f.includes("'")) throw new Untranslatable(`the field name \`${f}\` cannot be quoted in where (it holds a ')`)
  return `'${f}'`
}

/** A double-quoted SPL string: search values and eval literals unescape `\\` and `\"` alike. */
export function quote(s: string): string {
  if ([...s].some((c) => c < " " && c !== "\t" && c !== "\n" && c !== "\r"))
    throw new Untranslatable("a value holds control characters (UTF-16 bytes), which a Splunk search cannot carry")
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`
}

const reQuote = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, (c) => `\\${c}`)

/** A search-language glob as an anchored regex body. */
export function globRegex(glob: string): string {
  return glob.split("*").map(reQuote).join(".*")
}

/** Can this leaf be said in the search language (tstats where included)? */
function searchable(l: Leaf, raw: boolean): boolean {
  switch (l.op) {
    case "cmp":
      return l.lang === "search" && l.cmpOp === "=" && !l.caseSensitive && !l.numeric && !l.fn
    case "in":
      return l.lang === "search" && !l.fn
    case "isnull":
    case "isnotnull":
      return true
    case "keyword":
      return raw && !l.regex
    default:
      return false
  }
}

function allSearchable(p: Predicate, raw: boolean): boolean {
  if (p.op === "true" || p.op === "false") return true
  if (p.op === "not") return allSearchable(p.arg, raw)
  if (p.op === "and" || p.op === "or") return p.args.every((a) => allSearchable(a, raw))
  if (p.op === "xor") return false
  return searchable(p, raw)
}

/** Options of one rendering: field names already mapped; `raw` allows free-text terms (`_raw`). */
export interface WriteOptions {
  raw: boolean
  /**
   * The text a missing field reads as in the where stage (after `tstats fillnull_value=…`):
   * null tests and guards compare with it, since isnull() is never true there.
   */
  fill?: string
}

function searchLeaf(l: Leaf): string {
  switch (l.op) {
    case "cmp":
      return `${searchField(l.field)}=${quote(l.value)}`
    case "in":
      return `${searchField(l.field)} IN (${l.values.map(quote).join(", ")})`
    case "isnotnull":
      return `${searchField(l.field)}=*`
    case "isnull":
      return `NOT ${searchField(l.field)}=*`
    case "keyword":
      // Splunk matches a quoted term against whole indexed terms; Sigma keywords are substrings.
      return quote(`${l.value.startsWith("*") ? "" : "*"}${l.value}${l.value.endsWith("*") ? "" : "*"}`)
    default:
      throw new Untranslatable(`a ${l.op} test cannot be written in the search language`)
  }
}

/** An OR of value tests on one field (windash and base64offset variants) reads as one IN list. */
function sameFieldValues(args: Predicate[]): { field: string; values: string[] } | undefined {
  let field: string | undefined
  const values: string[] = []
  for (const a of args) {
    if (a.op !== "cmp" && a.op !== "in") return undefined
    if (field !== undefined && a.field !== field) return undefined
    field = a.field
    if (a.op === "cmp") values.push(a.value)
    else values.push(...a.values)
  }
  return field === undefined ? undefined : { field, values }
}

/** The search-language text of a predicate whose leaves are all searchable. */
export function searchText(p: Predicate): string {
  switch (p.op) {
    case "true":
      return "*"
    case "false":
      return "NOT *"
    case "not": {
      const inner = p.arg
      return `NOT ${isLeaf(inner) && inner.op !== "isnull" ? searchLeaf(inner) : `(${searchText(inner)})`}`
    }
    case "and":
    case "or": {
      const values = p.op === "or" ? sameFieldValues(p.args) : undefined
      if (values) return searchLeaf({ op: "in", id: 0, field: values.field, values: values.values, lang: "search" })
      const parts = p.args.map((a) => (isLeaf(a) && a.op !== "isnull" ? searchLeaf(a) : `(${searchText(a)})`))
      return parts.join(p.op === "and" ? " AND " : " OR ")
    }
    case "xor":
      throw new Untranslatable("XOR has no search-language form")
    default:
      return searchLeaf(p)
  }
}

/** A number Sigma compares with: the event value must itself be a number. */
const NUMERIC = "^\\s*[-+]?(\\d+(\\.\\d*)?|\\.\\d+)\\s*$"

function evalLeaf(l: Leaf, negated: boolean, fill: string | undefined): string {
  const present = (field: string): string =>
    fill === undefined ? `isnotnull(${evalField(field)})` : `${evalField(field)}!=${quote(fill)}`
  const guard = (field: string, test: string): string => (negated ? `(${present(field)} AND ${test})` : test)
  switch (l.op) {
    case "cmp": {
      const f = evalField(l.field)
      if (l.numeric || (l.cmpOp !== "=" && l.cmpOp !== "!=")) {
        // Sigma's lt/gt compare numbers only; where would compare text lexicographically.
        return `(match(${f}, ${quote(NUMERIC)}) AND ${f}${l.cmpOp}${l.value})`
      }
      if (l.cmpOp !== "=" || l.fn || l.lang !== "search")
        throw new Untranslatable(`a ${l.lang} comparison with ${l.cmpOp} is not a Sigma test`)
      const flags = l.caseSensitive ? "(?s)" : "(?is)"
      return guard(l.field, `match(${f}, ${quote(`${flags}^${globRegex(l.value)}$`)})`)
    }
    case "in": {
      const f = evalField(l.field)
      const alt = l.values.map(globRegex).join("|")
      return guard(l.field, `match(${f}, ${quote(`(?is)^(?:${alt})$`)})`)
    }
    case "regex":
      return guard(l.field, `match(${evalField(l.field)}, ${quote(l.pattern)})`)
    case "cidr":
      return guard(l.field, `cidrmatch(${quote(l.cidr)}, ${evalField(l.field)})`)
    case "isnull":
      return fill === undefined ? `isnull(${evalField(l.field)})` : `${evalField(l.field)}=${quote(fill)}`
    case "isnotnull":
      return present(l.field)
    case "fieldcmp": {
      if (l.match) throw new Untranslatable(`fieldref with \`${l.match}\` has no where form this engine proves`)
      const test = `lower(${evalField(l.field)})${l.cmpOp}lower(${evalField(l.other)})`
      return negated ? `(${present(l.field)} AND ${present(l.other)} AND ${test})` : test
    }
    case "keyword": {
      const re = l.regex ? l.value : `(?is)${globRegex(l.value)}`
      return `match(_raw, ${quote(re)})`
    }
    default:
      throw new Untranslatable(`a ${l.op} test has no SPL form`)
  }
}

/** The eval/where text of a predicate; `negated` is the NOT parity above it. */
export function whereText(p: Predicate, negated = false, fill?: string): string {
  switch (p.op) {
    case "true":
      return "true()"
    case "false":
      return "false()"
    case "not":
      return `NOT (${whereText(p.arg, !negated, fill)})`
    case "and":
    case "or":
      return p.args.map((a) => `(${whereText(a, negated, fill)})`).join(p.op === "and" ? " AND " : " OR ")
    case "xor":
      throw new Untranslatable("XOR is not a Sigma construct")
    default:
      return evalLeaf(p, negated, fill)
  }
}

/**
 * NOT pushed down to the leaves (De Morgan; NOT isnull is isnotnull). Sigma's leaves are
 * two-valued (a missing field is false, never NULL), so this keeps every verdict, and it lets
 * more conjuncts reach the search part.
 */
export function pushNot(p: Predicate, negate = false): Predicate {
  switch (p.op) {
    case "not":
      return pushNot(p.arg, !negate)
    case "and":
    case "or": {
      const args = p.args.map((a) => pushNot(a, negate))
      const op = negate ? (p.op === "and" ? "or" : "and") : p.op
      const flat = args.flatMap((a) => (a.op === op ? (a as { args: Predicate[] }).args : [a]))
      return { op, args: flat }
    }
    case "true":
    case "false":
      return negate ? { op: p.op === "true" ? "false" : "true" } : p
    case "xor":
      return negate ? { op: "not", arg: p } : p
    default:
      if (!negate) return p
      if (p.op === "isnull") return { ...p, op: "isnotnull" }
      if (p.op === "isnotnull") return { ...p, op: "isnull" }
      return { op: "not", arg: p }
  }
}

/** One conjunct of the search part, parenthesised unless it is a single (possibly negated) test. */
function searchTerm(c: Predicate): string {
  const text = searchText(c)
  if (isLeaf(c) && c.op !== "isnull") return text
  if (c.op === "not" && isLeaf(c.arg) && c.arg.op !== "isnull") return text
  if (c.op === "or" && sameFieldValues(c.args)) return text
  return `(${text})`
}

/** A predicate split into what the search command says and what a later `where` says. */
export interface SplitSpl {
  search?: string
  where?: string
  /** Fields the where part reads (a tstats search must group by them to keep them). */
  whereFields: string[]
}

function fieldsOf(p: Predicate, out: Set<string>): void {
  if (p.op === "not") fieldsOf(p.arg, out)
  else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) fieldsOf(a, out)
  else if (isLeaf(p)) {
    if ("field" in p) out.add(p.field)
    if (p.op === "fieldcmp") out.add(p.other)
  }
}

/** Split the top-level conjunction between search and where (see the invariants above). */
export function splitPredicate(p: Predicate, opts: WriteOptions): SplitSpl {
  const n = pushNot(p)
  const conjuncts = n.op === "and" ? n.args : [n]
  const inSearch = conjuncts.filter((c) => allSearchable(c, opts.raw))
  const inWhere = conjuncts.filter((c) => !allSearchable(c, opts.raw))
  const fields = new Set<string>()
  for (const c of inWhere) fieldsOf(c, fields)
  const out: SplitSpl = { whereFields: [...fields] }
  // One top-level conjunct a line: the search command's implicit AND, where's explicit one.
  if (inSearch.length) out.search = inSearch.map(searchTerm).join("\n  ")
  if (inWhere.length)
    out.where =
      inWhere.length === 1
        ? whereText(inWhere[0] as Predicate, false, opts.fill)
        : inWhere.map((c) => `(${whereText(c, false, opts.fill)})`).join("\n  AND ")
  return out
}
