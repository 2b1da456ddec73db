/**
 * The Sigma condition language: tokenizer, recursive-descent parser and
 * expansion of `1 of` / `all of` patterns against the rule's search identifiers.
 *
 * Owns: the condition AST and its errors. Invariants: pure; never throws (errors come back as
 * values); operators are lower case only, identifiers case-sensitive; identifiers starting with
 * `_` are left out of `them` and of patterns not starting with `_`; a pattern or name matching no
 * identifier is an error (pySigma would silently drop it, which hides typos).
 * Never imports: React, Next, Node built-ins.
 */

import { globTest } from "../../predicate/glob.ts"

export type CondNode =
  | { k: "id"; name: string }
  | { k: "of"; quantifier: "one" | "all"; pattern: string; names: string[] }
  | { k: "not"; arg: CondNode }
  | { k: "and" | "or"; args: CondNode[] }

export type ConditionResult = { ok: true; node: CondNode } | { ok: false; message: string }

const TOKEN = /\s*(\(|\)|[^\s()]+)/y

function tokenize(text: string): string[] {
  const out: string[] = []
  TOKEN.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = TOKEN.exec(text)) !== null) out.push(m[1] as string)
  return out
}

/** Names matched by an `x of` pattern (`them`, or `*` as any run of characters). */
export function expandPattern(pattern: string, names: string[]): string[] {
  if (pattern === "them") return names.filter((n) => !n.startsWith("_"))
  // globTest matches `*` with indexOf, in linear time: a RegExp of many `.*` backtracked for
  // minutes on `1 of filter_****…` (found by the fuzzer).
  const test = globTest(pattern)
  return names.filter((n) => test(n) && (pattern.startsWith("_") || !n.startsWith("_")))
}

class ParseError extends Error {}

/** Parse one condition string against the rule's search identifiers. */
export function parseCondition(text: string, identifiers: string[]): ConditionResult {
  if (text.includes("|"))
    return { ok: false, message: "legacy aggregation (`| count`, `| near`) is not supported; use a correlation rule" }
  const tokens = tokenize(text)
  if (tokens.length === 0) return { ok: false, message: "the condition is empty" }
  const known = new Set(identifiers)
  let pos = 0
  const peek = () => tokens[pos]
  const take = () => tokens[pos++]
  const orExpr = (): CondNode => {
    const args = [andExpr()]
    while (peek() === "or") {
      take()
      args.push(andExpr())
    }
    return args.length === 1 ? (args[0] as CondNode) : { k: "or", args }
  }
  const andExpr = (): CondNode => {
    const args = [notExpr()]
    while (peek() === "and") {
      take()
      args.push(notExpr())
    }
    return args.length === 1 ? (args[0] as CondNode) : { k: "and", args }
  }
  const notExpr = (): CondNode => {
    if (peek() === "not") {
      take()
      return { k: "not", arg: notExpr() }
    }
    return operand()
  }
  const operand = (): CondNode => {
    const t = take()
    if (t === undefined) throw new ParseError("the condition ends where an identifier was expected")
    if (t === "(") {
      const inner = orExpr()
      if (take() !== ")") throw new ParseError("a `(` is never closed")
      return inner
    }
    if (t === ")" || t === "and" || t === "or" || t === "of") throw new ParseError(`unexpected \`${t}\``)
    if ((t === "1" || t === "any" || t === "all") && peek() === "of") {
      take()
      const pattern = take()
      if (pattern === undefined || !/^(them|[A-Za-z0-9_*]+)$/.test(pattern))
        throw new ParseError(`\`${t} of\` needs an identifier pattern or \`them\``)
      const names = expandPattern(pattern, identifiers)
      if (names.length === 0) throw new ParseError(`\`${t} of ${pattern}\` matches no search identifier`)
      return { k: "of", quantifier: t === "all" ? "all" : "one", pattern, names }
    }
    if (/^(AND|OR|NOT|And|Or|Not)$/.test(t))
      throw new ParseError(`operators are lower case: write \`${t.toLowerCase()}\``)
    if (!/^[A-Za-z0-9_-]+$/.test(t)) throw new ParseError(`\`${t}\` is not a valid identifier`)
    if (!known.has(t)) throw new ParseError(`\`${t}\` is not a search identifier of this detection`)
    return { k: "id", name: t }
  }
  try {
    const node = orExpr()
    const rest = tokens[pos]
    if (rest !== undefined && /^(AND|OR|And|Or)$/.test(rest))
      throw new ParseError(`operators are lower case: write \`${rest.toLowerCase()}\``)
    if (rest !== undefined) throw new ParseError(`unexpected \`${rest}\` after a complete condition`)
    return { ok: true, node }
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, message: e.message }
    throw e
  }
}

/** Identifiers a condition refers to, directly or through patterns. */
export function referencedNames(node: CondNode, out = new Set<string>()): Set<string> {
  if (node.k === "id") out.add(node.name)
  else if (node.k === "of") for (const n of node.names) out.add(n)
  else if (node.k === "not") referencedNames(node.arg, out)
  else for (const a of node.args) referencedNames(a, out)
  return out
}
