/**
 * Textual macro expansion for SPL.
 *
 * Owns: macro-call syntax, argument binding (positional or named), `$arg$` substitution,
 * recursion/cycle limits, the contentctl/CIM defaults for missing macros, and the record of
 * every expansion with its span in the expanded text.
 *
 * Invariants:
 * - Purely textual: no parentheses are added around a body (the search command's OR-before-AND
 *   precedence is what makes `sysmon` EventCode=1 work).
 * - Macros are keyed by (name, arity): `name` for no arguments, `name(N)` otherwise.
 * - Backticks inside double quotes are not calls. Comments must be stripped beforehand.
 * - Never throws. An unknown macro, a cycle, depth > MAX_MACRO_DEPTH or an exhausted budget
 *   (MAX_MACRO_EXPANSIONS, MAX_MACRO_GROWTH) keeps the original
 *   backticked call in the output (stage parsers turn it into an 'unresolved-macro' unknown) and
 *   adds a diagnostic.
 * - Expansion spans are half-open offsets in the final expanded text, parents before children.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { skipQuoted } from "./text.ts"

export interface MacroDef {
  name: string
  arguments: string[]
  definition: string
}

/** A lookup by name and arity, or a Map keyed by `macroKey(name, arity)`. */
export type MacroLookup = ((name: string, arity: number) => MacroDef | undefined) | ReadonlyMap<string, MacroDef>

export type MacroStatus = "repo" | "filter" | "cim" | "unknown"

export type MacroExpansion = {
  name: string
  args: string[]
  status: MacroStatus
  /** Span of the expansion result in the expanded text. */
  start: number
  end: number
  depth: number
}

export type Diagnostic = {
  code: string
  message: string
  /** Search text where the problem starts (a few characters), to position it in the rule file. */
  near?: string
}

export type ExpandResult = { text: string; expansions: MacroExpansion[]; diagnostics: Diagnostic[] }

type Acc = ExpandResult & { grown: number }

export const MAX_MACRO_DEPTH = 20

/**
 * Expansion budget per search: calls expanded, and characters added by macro bodies (counted at
 * every nesting level, so an upper bound). The corpus peaks at 20 calls and 5,000 expanded
 * characters (security_content, 2026-11); a macro "bomb" (each body calling the next twice)
 * would otherwise grow exponentially.
 */
export const MAX_MACRO_EXPANSIONS = 1_000
export const MAX_MACRO_GROWTH = 500_000

export function macroKey(name: string, arity: number): string {
  return arity === 0 ? name : `${name}(${arity})`
}

export function macroMap(defs: Iterable<MacroDef>): Map<string, MacroDef> {
  const m = new Map<string, MacroDef>()
  for (const d of defs) m.set(macroKey(d.name, d.arguments.length), d)
  return m
}

function find(lookup: MacroLookup, name: string, arity: number): MacroDef | undefined {
  return typeof lookup === "function" ? lookup(name, arity) : lookup.get(macroKey(name, arity))
}

/** Split `a, "b,c", f(x,y)` on top-level commas. */
export function splitArgs(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '"') i = skipQuoted(text, i) - 1
    else if (ch === "(") depth++
    else if (ch === ")") depth--
    else if (ch === "," && depth === 0) {
      out.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  out.push(text.slice(start).trim())
  return out
}

/** A macro argument without its surrounding double quotes, if it has them. */
export function unquoteArg(arg: string): string {
  return /^"[^"]*"$/.test(arg) ? arg.slice(1, -1) : arg
}

export function parseCall(call: string): { name: string; args: string[] } {
  const open = call.indexOf("(")
  if (open < 0 || !call.trimEnd().endsWith(")")) return { name: call.trim(), args: [] }
  const inner = call.slice(open + 1, call.trimEnd().length - 1)
  return { name: call.slice(0, open).trim(), args: inner.trim() === "" ? [] : splitArgs(inner) }
}

function bind(def: MacroDef, args: string[]): string {
  const named = args.map((a) => /^(\w+)\s*=([\s\S]*)$/.exec(a))
  const byName = named.every((m) => m !== null && def.arguments.includes(m[1] as string))
  const values = new Map<string, string>()
  def.arguments.forEach((argName, i) => {
    const m = byName ? named.find((n) => n?.[1] === argName) : undefined
    values.set(argName, m ? (m[2] as string).trim() : (args[i] ?? ""))
  })
  // `$name$` substitution ignores quoting (macros.conf.spec).
  return def.definition.replace(/\$(\w+)\$/g, (whole, n: string) => values.get(n) ?? whole)
}

type Resolution = { body: string; status: MacroStatus } | { unresolved: Diagnostic }

/**
 * `afterPipe`: the call starts a stage. contentctl's default body is `search *`; written inside a
 * search (`| search \`x_filter\``) the pass-through meaning is kept by expanding to `*`, since
 * `search search *` would otherwise look for the word "search".
 */
function resolve(
  lookup: MacroLookup,
  name: string,
  args: string[],
  stack: string[],
  afterPipe: boolean,
  acc: Acc,
): Resolution {
  const key = macroKey(name, args.length)
  if (acc.expansions.length >= MAX_MACRO_EXPANSIONS || acc.grown > MAX_MACRO_GROWTH)
    return {
      unresolved: {
        code: "macro-limit",
        message: `macro \`${key}\` not expanded: the search exceeds ${MAX_MACRO_EXPANSIONS} macro calls or ${MAX_MACRO_GROWTH} expanded characters`,
      },
    }
  if (stack.includes(key))
    return {
      unresolved: { code: "macro-cycle", message: `macro \`${key}\` calls itself (${[...stack, key].join(" → ")})` },
    }
  if (stack.length >= MAX_MACRO_DEPTH)
    return {
      unresolved: { code: "macro-recursion", message: `macro nesting deeper than ${MAX_MACRO_DEPTH} at \`${key}\`` },
    }
  const def = find(lookup, name, args.length)
  if (def) return { body: bind(def, args), status: "repo" }
  // The corpus also writes the object quoted (`drop_dm_object_name("All_Traffic")`).
  if (name === "drop_dm_object_name" && args.length === 1)
    return { body: `rename ${unquoteArg(args[0] ?? "")}.* AS *`, status: "cim" }
  if (name.endsWith("_filter") && args.length === 0) return { body: afterPipe ? "search *" : "*", status: "filter" }
  return { unresolved: { code: "unresolved-macro", message: `macro \`${key}\` is not defined` } }
}

/** Whether a call written after `out` starts a stage: nothing but white space since the start or the last `|`. */
function startsStage(out: string): boolean {
  for (let i = out.length - 1; i >= 0; i--) {
    const ch = out[i]!
    if (!/\s/.test(ch)) return ch === "|"
  }
  return true
}

function expandInner(text: string, lookup: MacroLookup, stack: string[], acc: Acc): string {
  let out = ""
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"') {
      const end = skipQuoted(text, i)
      out += text.slice(i, end)
      i = end
      continue
    }
    if (ch === "\\") {
      // An escaped quote outside a string (`*\"x\"*`) must not open one.
      out += text.slice(i, i + 2)
      i += 2
      continue
    }
    if (ch !== "`") {
      // Copied up to the next character that needs a look (a quote, a backslash, a backtick).
      let end = i + 1
      while (end < text.length) {
        const c = text.charCodeAt(end)
        if (c === 34 || c === 92 || c === 96) break
        end++
      }
      out += text.slice(i, end)
      i = end
      continue
    }
    const close = text.indexOf("`", i + 1)
    if (close < 0) {
      acc.diagnostics.push({ code: "unterminated-macro", message: "a backtick has no closing backtick" })
      out += text.slice(i)
      break
    }
    const raw = text.slice(i, close + 1)
    const { name, args } = parseCall(text.slice(i + 1, close))
    const r = resolve(lookup, name, args, stack, startsStage(out), acc)
    if ("unresolved" in r) {
      acc.diagnostics.push(r.unresolved)
      acc.expansions.push({
        name,
        args,
        status: "unknown",
        start: out.length,
        end: out.length + raw.length,
        depth: stack.length,
      })
      out += raw
    } else {
      const rec: MacroExpansion = { name, args, status: r.status, start: out.length, end: 0, depth: stack.length }
      acc.expansions.push(rec)
      acc.grown += r.body.length
      const mark = acc.expansions.length
      const body = expandInner(r.body, lookup, [...stack, macroKey(name, args.length)], acc)
      // Children were recorded relative to the body; shift them to the output position.
      for (const child of acc.expansions.slice(mark)) {
        child.start += rec.start
        child.end += rec.start
      }
      out += body
      rec.end = out.length
    }
    i = close + 1
  }
  return out
}

/** Expand every macro call in `search` (comments already stripped). */
export function expandMacros(search: string, lookup: MacroLookup): ExpandResult {
  const acc: Acc = { text: "", expansions: [], diagnostics: [], grown: 0 }
  const text = expandInner(search, lookup, [], acc)
  return { text, expansions: acc.expansions, diagnostics: acc.diagnostics }
}
