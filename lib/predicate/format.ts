/**
 * Renders predicates as readable text (SPL-flavoured) for traces, tooltips and tests.
 *
 * Owns: the display form of every node type.
 *
 * Invariants: output is for humans, not for re-parsing; leaves render with the field as written
 * in the rule (`written` when present); explicit parentheses are added wherever grouping could
 * be misread, because search and eval precedence differ.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Leaf, Predicate } from "./types.ts"
import { isLeaf } from "./types.ts"

const quote = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`
const wrap = (fn: string | undefined, f: string): string => (fn ? `${fn}(${f})` : f)

export function formatLeaf(l: Leaf): string {
  const f = "field" in l ? (l.written ?? l.field) : ""
  switch (l.op) {
    case "cmp": {
      const op = l.lang === "eval" && l.cmpOp === "=" ? "==" : l.cmpOp
      const bare = l.lang === "search" ? /^[^\s"(),=|]+$/.test(l.value) : l.numeric === true
      const v = bare ? l.value : quote(l.value)
      const body = `${wrap(l.fn, f)}${op}${l.caseSensitive ? `CASE(${v})` : v}`
      return body
    }
    case "in":
      return l.lang === "search"
        ? `${f} IN (${l.values.map(quote).join(", ")})`
        : `in(${wrap(l.fn, f)}, ${l.values.map(quote).join(", ")})`
    case "fieldcmp":
      if (l.match) return `${l.cmpOp === "!=" ? "NOT " : ""}${l.match}(${f}, ${l.other})`
      return `${wrap(l.fn, f)}${l.cmpOp === "=" ? "==" : l.cmpOp}${wrap(l.fn, l.other)}`
    case "like":
      return `like(${wrap(l.fn, f)}, ${quote(l.pattern)})`
    case "regex":
      return l.lang === "search" ? `regex ${f}=${quote(l.pattern)}` : `match(${wrap(l.fn, f)}, ${quote(l.pattern)})`
    case "cidr":
      return `cidrmatch(${quote(l.cidr)}, ${f})`
    case "isnull":
    case "isnotnull":
      return `${l.op}(${f})`
    case "keyword":
      return l.regex ? `regex ${quote(l.value)}` : quote(l.value)
    case "unknown":
      return `⟨${l.construct}: ${l.text}⟩`
  }
}

export function formatPredicate(p: Predicate): string {
  if (isLeaf(p)) return formatLeaf(p)
  switch (p.op) {
    case "true":
      return "*"
    case "false":
      return "false()"
    case "not": {
      const inner = formatPredicate(p.arg)
      return isLeaf(p.arg) || p.arg.op === "not" ? `NOT ${inner}` : `NOT (${inner})`
    }
    default: {
      const sep = ` ${p.op.toUpperCase()} `
      return p.args.map((a) => (isLeaf(a) || a.op === "not" ? formatPredicate(a) : `(${formatPredicate(a)})`)).join(sep)
    }
  }
}
