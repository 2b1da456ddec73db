/**
 * One row through one per-row SPL stage: the result rows a stage such as `where`, `search`,
 * `rename`, `fillnull`, `table`, `fields`, `dedup` or `head` makes of a row, in a hunt over a log.
 *
 * Owns: `compileRowStage`, the single place where per-row commands are mapped to code. `search`
 * and `regex` are evaluated on the row by lib/predicate; `eval` and `where` by the eval
 * interpreter of lib/formats/splunk/spl (eval-interp.ts). Three-valued: a row a stage cannot
 * decide is 'unknown', never dropped or kept on a guess. A command this file does not run makes
 * the rule not huntable, with the reason.
 *
 * Invariants: a step returns the rows the stage passes on (none = dropped); stateful stages
 * (`dedup`, `head`) hold their state in the step, so compile one step per rule and per hunt.
 * Rows are plain objects of Splunk values; a step never mutates its input row.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { compile, evaluate } from "../predicate/compile.ts"
import { EventView } from "../predicate/event-view.ts"
import {
  evalCondition,
  evalExpr,
  EvalUnsupported,
  toRowValue,
  unsupportedIn,
} from "../formats/splunk/spl/eval-interp.ts"
import { parseEval, type Expr } from "../formats/splunk/spl/eval-parser.ts"
import { parseFilter } from "../formats/splunk/spl/filters.ts"
import { splitArgs } from "../formats/splunk/spl/macros.ts"
import { topLevelWords } from "../formats/splunk/spl/stats.ts"
import type { Value } from "./aggregate.ts"

/** One result row: field → Splunk value. */
export type Row = Record<string, Value>

/** The rows a stage makes of one row, or 'unknown' when it cannot decide whether the row passes. */
export type RowStep = (row: Row) => Row[] | "unknown"

export type CompiledRowStage = { step: RowStep; note?: string } | { unsupported: string }

/** An eval value as a row value: numbers as Splunk prints them, null as absent. */
export function rowValue(v: ReturnType<typeof toRowValue>): Value | undefined {
  if (v === null) return undefined
  return Array.isArray(v) ? v.map(String) : String(v)
}

/** A parsed eval expression, or why the interpreter cannot run it. */
export function parseExpr(text: string): Expr | string {
  const { expr, errors } = parseEval(text)
  if (errors.length) return errors.join("; ")
  const bad = unsupportedIn(expr)
  return bad.size ? `${[...bad].join(", ")}() cannot be computed` : expr
}

function whereStep(body: string): CompiledRowStage {
  const expr = parseExpr(body)
  if (typeof expr === "string") return { unsupported: `where: ${expr}` }
  return {
    step: (row) => {
      try {
        return evalCondition(expr, row) === true ? [row] : []
      } catch (e) {
        if (e instanceof EvalUnsupported) return "unknown"
        throw e
      }
    },
  }
}

function evalStep(body: string): CompiledRowStage {
  const assignments: Array<{ name: string; expr: Expr }> = []
  for (const part of splitArgs(body)) {
    const m = /^\s*('?)([^=']+?)\1\s*=(?!=)([\s\S]*)$/.exec(part)
    if (!m) return { unsupported: `eval: cannot read "${part.trim()}"` }
    const expr = parseExpr(m[3] as string)
    if (typeof expr === "string") return { unsupported: `eval: ${expr}` }
    assignments.push({ name: (m[2] as string).trim(), expr })
  }
  if (!assignments.length) return { unsupported: "eval: no assignment" }
  return {
    step: (row) => {
      // Assignments run left to right, each seeing the ones before it.
      const out: Row = { ...row }
      try {
        for (const a of assignments) {
          const v = rowValue(toRowValue(evalExpr(a.expr, out)))
          if (v === undefined) delete out[a.name]
          else out[a.name] = v
        }
      } catch (e) {
        if (e instanceof EvalUnsupported) return "unknown"
        throw e
      }
      return [out]
    },
  }
}

/** How many distinct keys `dedup` remembers; past it a repeated key may pass again (reported as a note). */
export const MAX_DEDUP_KEYS = 100_000

const unq = (s: string): string => s.replace(/^["']|["']$/g, "").replace(/,$/, "")

/** A field pattern with `*` wildcards as a RegExp over whole names. */
function namePattern(p: string): RegExp {
  return new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "(.*)")}$`)
}

function filterStep(command: string, body: string): CompiledRowStage {
  const parsed = parseFilter(command, body, 0, {})
  if (parsed.errors.length) return { unsupported: `${command}: ${parsed.errors.join("; ")}` }
  const compiled = compile(parsed.predicate)
  if (compiled.unsupported.length)
    return { unsupported: `${command}: ${compiled.unsupported.map((u) => u.reason).join("; ")}` }
  return {
    step: (row) => {
      const v = evaluate(compiled, new EventView(row), { trace: false, metadata: "assume" }).matched
      return v === true ? [row] : v === false ? [] : "unknown"
    },
  }
}

function renameStep(body: string): CompiledRowStage {
  const words = topLevelWords(body, true).map((w) => unq(w.w))
  const pairs: Array<[string, string]> = []
  for (let i = 0; i + 2 < words.length; i++) {
    if (/^as$/i.test(words[i + 1] as string)) {
      pairs.push([words[i] as string, words[i + 2] as string])
      i += 2
    }
  }
  if (!pairs.length) return { unsupported: "rename: no `a AS b` pair" }
  const compiled = pairs.map(([from, to]) => ({ from, to, re: from.includes("*") ? namePattern(from) : undefined }))
  return {
    step: (row) => {
      let out: Row = row
      for (const { from, to, re } of compiled) {
        const next: Row = {}
        let changed = false
        for (const [k, v] of Object.entries(out)) {
          const m = re ? re.exec(k) : k === from ? [k] : null
          if (!m) {
            if (!(k in next)) next[k] = v
            continue
          }
          let i = 1
          const target = re ? to.replace(/\*/g, () => m[i++] ?? "") : to
          next[target] = v
          changed = true
        }
        if (changed) out = next
      }
      return [out]
    },
  }
}

function fillnullStep(body: string): CompiledRowStage {
  const words = topLevelWords(body, true).map((w) => w.w)
  const valueWord = words.find((w) => /^value=/i.test(w))
  const value = valueWord ? unq(valueWord.slice(6)) : "0"
  const fields = words.filter((w) => !/^value=/i.test(w)).map(unq)
  if (!fields.length)
    return {
      step: (row) => [row],
      note: "fillnull without fields fills only fields other rows have; rows pass as they are",
    }
  return {
    step: (row) => {
      if (fields.every((f) => row[f] !== undefined)) return [row]
      const out = { ...row }
      for (const f of fields) if (out[f] === undefined) out[f] = value
      return [out]
    },
  }
}

function projectStep(command: string, body: string): CompiledRowStage {
  const words = topLevelWords(body, true)
    .map((w) => unq(w.w))
    .filter((w) => w !== "")
  let remove = false
  if (command === "fields" && (words[0] === "-" || words[0] === "+")) {
    remove = words[0] === "-"
    words.shift()
  }
  const res = words.map(namePattern)
  const keep = (k: string) => res.some((r) => r.test(k))
  return {
    step: (row) => {
      const out: Row = {}
      for (const [k, v] of Object.entries(row))
        if (remove ? !keep(k) : keep(k) || (command === "fields" && k === "_time")) out[k] = v
      return [out]
    },
  }
}

function dedupStep(body: string): CompiledRowStage {
  const words = topLevelWords(body, true).map((w) => unq(w.w))
  const fields = words.filter((w) => !/=/.test(w) && !/^\d+$/.test(w) && !/^sortby$/i.test(w))
  if (!fields.length || words.some((w) => /^(keepevents|keepempty|consecutive)=t/i.test(w)))
    return { unsupported: "dedup with options this engine does not run" }
  const seen = new Set<string>()
  return {
    step: (row) => {
      const vals = fields.map((f) => row[f])
      if (vals.some((v) => v === undefined)) return []
      const key = JSON.stringify(vals)
      if (seen.has(key)) return []
      if (seen.size < MAX_DEDUP_KEYS) seen.add(key)
      return [row]
    },
  }
}

function headStep(body: string): CompiledRowStage {
  const n = Number(/^\s*(?:limit=)?(\d+)\s*$/.exec(body)?.[1] ?? (body.trim() === "" ? "10" : NaN))
  if (!Number.isFinite(n)) return { unsupported: "head with a condition" }
  let seen = 0
  return { step: (row) => (seen++ < n ? [row] : []), note: "head keeps the first rows in log order" }
}

/** Commands that change how values print or rows sort, not which rows pass or what they hold for a filter. */
const PASS = new Set(["convert", "sort", "fieldformat", "reverse", "nomv"])

/** The step of one per-row stage, or why this engine does not run it. */
export function compileRowStage(command: string, body: string): CompiledRowStage {
  if (command === "where") return whereStep(body)
  if (command === "eval") return evalStep(body)
  if (command === "search" || command === "regex") return filterStep(command, body)
  if (command === "rename") return renameStep(body)
  if (command === "fillnull") return fillnullStep(body)
  if (command === "table" || command === "fields") return projectStep(command, body)
  if (command === "dedup") return dedupStep(body)
  if (command === "head") return headStep(body)
  if (PASS.has(command)) return { step: (row) => [row] }
  return { unsupported: `\`${command}\` is not run over a log yet` }
}
