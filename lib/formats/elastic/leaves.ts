/**
 * Predicate leaves with Elastic's comparison semantics, shared by the EQL and KQL translators.
 *
 * Owns: how an Elastic test (exact, wildcard pattern, regex, range, exists) becomes a leaf of the
 * shared predicate, so that the shared evaluator gives Elastic's verdicts.
 *
 * Invariants (Elastic pushes single-event tests down to term / wildcard / regexp queries):
 * - Every leaf uses the search language: a missing field makes a positive test false, and a
 *   negation (`!=`, `not`) is built as `not(leaf)`, which is true on a missing field, as a
 *   Query DSL `must_not` is.
 * - Arrays: any element satisfies a positive test (the evaluator's multivalue rule).
 * - Exact tests never treat `*` as a wildcard: a value holding `*` becomes an anchored regex
 *   of the quoted text. Patterns with `?` (one character) become anchored regexes too, since
 *   the shared glob knows only `*`.
 * - Regexes from rules run on re2js through the shared evaluator (linear time).
 *
 * Never imports: React, Next, Node built-ins.
 */
import type { CmpOp, Leaf, Predicate } from "../../predicate/types.ts"

/** Quote every regex metacharacter of a literal. */
export function quoteRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&")
}

const flags = (ci: boolean): string => (ci ? "(?is)" : "(?s)")

const regexLeaf = (field: string, source: string, ci: boolean): Leaf => ({
  op: "regex",
  id: 0,
  field,
  pattern: `${flags(ci)}^(?:${source})$`,
  lang: "search",
})

/** `field == value` (or `:`-less exact): whole value, no wildcards. */
export function exactLeaf(field: string, value: string, ci: boolean): Leaf {
  if (value.includes("*")) return regexLeaf(field, quoteRegex(value), ci)
  return { op: "cmp", id: 0, field, cmpOp: "=", value, lang: "search", ...(ci ? {} : { caseSensitive: true }) }
}

/**
 * `field : pattern` / `like`: whole-value wildcard match. `single`: `?` is a one-character
 * wildcard too (EQL); KQL has `*` only.
 */
export function patternLeaf(field: string, pattern: string, ci: boolean, single: boolean): Leaf {
  if (single && pattern.includes("?")) {
    const source = [...pattern].map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : quoteRegex(ch))).join("")
    return regexLeaf(field, source, ci)
  }
  return { op: "cmp", id: 0, field, cmpOp: "=", value: pattern, lang: "search", ...(ci ? {} : { caseSensitive: true }) }
}

/**
 * Lucene regular expression: always anchored, `.` matches any character. Lucene-only operators
 * are refused by the caller; the rest is RE2 syntax already.
 */
export function luceneRegexLeaf(field: string, pattern: string, ci: boolean): Leaf | string {
  if (/(^|[^\\])[@&~<]/.test(pattern)) return "Lucene-only regex operator (@, &, ~ or <n-m>) not supported"
  return regexLeaf(field, pattern, ci)
}

/** Numeric range test: a non-numeric value fails, as a range query on a number field does. */
export function rangeLeaf(field: string, op: CmpOp, value: string): Leaf {
  return { op: "cmp", id: 0, field, cmpOp: op, value, lang: "search", numeric: true }
}

/** Ordered comparison of text (EQL `<` on a string): case-sensitive lexicographic. */
export function orderLeaf(field: string, op: CmpOp, value: string): Leaf {
  return { op: "cmp", id: 0, field, cmpOp: op, value, lang: "search", caseSensitive: true }
}

export function existsLeaf(field: string): Leaf {
  return { op: "isnotnull", id: 0, field }
}

export function unknownLeaf(construct: string, reason: string, text: string): Leaf {
  return { op: "unknown", id: 0, construct, reason, text }
}

export function notP(p: Predicate): Predicate {
  if (p.op === "not") return p.arg
  if (p.op === "true") return { op: "false" }
  if (p.op === "false") return { op: "true" }
  return { op: "not", arg: p }
}
