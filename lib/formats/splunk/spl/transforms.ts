/**
 * Scope effects of non-filtering stages: rename, eval, rex, stats, fillnull, spath, replace.
 *
 * Owns: how each per-event transform changes which names exist and where they come from, and
 * the `requires` list of stats BY fields (Splunk drops a row whose BY field is null unless a
 * fillnull covers it).
 *
 * Invariants: a transform never filters; unknown syntax leaves the scope unchanged. An eval
 * that just copies a field (`user=UserName`) is an alias, not a derived value.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { exprFields, parseEval } from "./eval-parser.ts"
import { splitArgs } from "./macros.ts"
import { applyRename, defineField, resolveField, type FieldOrigin, type Scope } from "./scope.ts"
import { parseStatsClause, topLevelWords, type Aggregate } from "./stats.ts"

export type TransformEffect = { requires?: string[]; notes?: string[] }

const unq = (s: string): string => s.replace(/^["']|["']$/g, "")

function renames(body: string, scope: Scope): void {
  const words = topLevelWords(body, true).map((w) => unq(w.w))
  for (let i = 0; i + 2 < words.length; i++) {
    if (/^as$/i.test(words[i + 1] as string)) {
      applyRename(scope, words[i] as string, words[i + 2] as string)
      i += 2
    }
  }
}

function evals(body: string, scope: Scope): void {
  for (const part of splitArgs(body)) {
    const m = /^\s*('?)([^=']+?)\1\s*=(?!=)([\s\S]*)$/.exec(part)
    if (!m) continue
    const name = (m[2] as string).trim()
    const { expr, errors } = parseEval(m[3] as string)
    if (!errors.length && expr.k === "field") {
      defineField(scope, name, resolveField(scope, expr.name))
      continue
    }
    const fromAggregate = [...exprFields(expr)].some((f) => resolveField(scope, f).kind === "aggregate")
    defineField(scope, name, fromAggregate ? { kind: "aggregate", expr: part.trim() } : { kind: "derived", by: "eval" })
  }
}

function rex(body: string, scope: Scope): void {
  const field = /(?:^|\s)field\s*=\s*("[^"]*"|\S+)/.exec(body)?.[1]
  if (/(?:^|\s)mode\s*=\s*sed\b/.test(body)) {
    defineField(scope, field ? unq(field) : "_raw", { kind: "derived", by: "rex" })
    return
  }
  for (const m of body.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g))
    defineField(scope, m[1] as string, { kind: "derived", by: "rex" })
}

export function aggregateOrigin(scope: Scope, a: Aggregate): FieldOrigin {
  if (a.kind === "count") return { kind: "aggregate", expr: a.output }
  if (a.arg && /^[\w.{}:@-]+$/.test(a.arg)) return resolveField(scope, unq(a.arg))
  return { kind: "derived", by: "stats" }
}

/** Fields a stats-like BY clause needs on the event (those not covered by fillnull). */
export function requiredBy(scope: Scope, by: string[]): string[] {
  const out: string[] = []
  for (const b of by) {
    const o = resolveField(scope, unq(b))
    if (o.kind === "event" && !scope.filled.has(o.field) && !out.includes(o.field)) out.push(o.field)
  }
  return out
}

function stats(body: string, scope: Scope): TransformEffect {
  const clause = parseStatsClause(body)
  const requires = requiredBy(scope, clause.by)
  const outputs = clause.aggregates.map((a) => [a.output, aggregateOrigin(scope, a)] as const)
  for (const [name, origin] of outputs) defineField(scope, name, origin)
  return requires.length ? { requires } : {}
}

export function applyTransform(command: string, body: string, scope: Scope): TransformEffect {
  switch (command) {
    case "rename":
      renames(body, scope)
      break
    case "eval":
      evals(body, scope)
      break
    case "rex":
      rex(body, scope)
      break
    case "stats":
      return stats(body, scope)
    case "fillnull": {
      const words = topLevelWords(body, true).map((w) => w.w)
      const value = unq(words.find((w) => /^value=/i.test(w))?.slice(6) ?? "0")
      const fields = words.filter((w) => !/^value=/i.test(w))
      for (const f of fields) {
        const o = resolveField(scope, unq(f))
        if (o.kind === "event") scope.filled.set(o.field, value)
      }
      if (!fields.length) return { notes: ["fillnull without a field list only fills fields present in some result"] }
      break
    }
    case "spath": {
      const out = /(?:^|\s)output\s*=\s*("[^"]*"|\S+)/.exec(body)?.[1]
      if (out) defineField(scope, unq(out), { kind: "derived", by: "spath" })
      break
    }
    case "replace": {
      const m = /\bin\s+([\s\S]+)$/i.exec(body)
      for (const f of m ? topLevelWords(m[1] as string, true) : [])
        defineField(scope, unq(f.w), { kind: "derived", by: "replace" })
      break
    }
  }
  return {}
}
