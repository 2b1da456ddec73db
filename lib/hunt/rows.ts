/**
 * One row through one per-row SPL stage in a hunt over a log: the result rows a stage such as
 * `eval`, `where`, `search`, `rex`, `rename`, `lookup`, `bin`, `dedup` or `head` makes of a row.
 *
 * Owns: the bridge to the SPL row runner (lib/formats/splunk/spl/row-runner.ts), which executes
 * every per-event stage (the runner's steps of one stage, run on the row), and the stages whose
 * meaning spans rows and which the runner, made for one event, passes through: `dedup` (first row
 * per value) and `head` (first N rows). Rows leaving a stage are normalised to Splunk's text
 * values (numbers as text), which every later stage and aggregate reads.
 *
 * Invariants: three-valued; a row a stage cannot decide is 'unknown', never dropped or kept on a
 * guess. A stage the runner stops at (join, an unknown command, a lookup enrichment the log hunt
 * would carry past the point the runner checks) makes the rule not huntable, with the reason.
 * Stateful steps (`dedup`, `head`) hold their state in the step: make one per rule and per hunt.
 *
 * Must never import: React, Next, Node built-ins.
 */
import {
  compileRowPlan,
  runRows,
  type LookupTable,
  type RowPlan,
  type RowStep,
} from "../formats/splunk/spl/row-runner.ts"
import { topLevelWords } from "../formats/splunk/spl/stats.ts"
import type { EventValue } from "../predicate/types.ts"
import type { Value } from "./aggregate.ts"

/** One result row: field → Splunk value. */
export type Row = Record<string, Value>

/** The rows a stage makes of one row, or 'unknown' when it cannot decide whether the row passes. */
export type RowFn = (row: Row) => Row[] | "unknown"

/** How many distinct keys `dedup` remembers; past it a repeated key may pass again. */
export const MAX_DEDUP_KEYS = 100_000

const unq = (s: string): string => s.replace(/^["']|["']$/g, "").replace(/,$/, "")

/** A runner value as a row value: numbers as text, null and empty lists as absent. */
export function rowValue(v: EventValue | ReadonlyArray<string | number>): Value | undefined {
  if (v === null || v === undefined || typeof v === "boolean") return undefined
  if (Array.isArray(v)) {
    const out = v.filter((x) => x !== null && x !== undefined).map(String)
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : out
  }
  return String(v)
}

function normalised(row: Record<string, EventValue>): Row {
  const out: Row = {}
  for (const [k, v] of Object.entries(row)) {
    const x = rowValue(v)
    if (x !== undefined) out[k] = x
  }
  return out
}

/** The runner's steps of one stage as a row function, or why the hunt cannot run them. */
export function runnerStage(
  steps: RowStep[],
  searchmatch: RowPlan["searchmatch"],
  lookups: ((name: string) => LookupTable | undefined) | undefined,
): RowFn | { unsupported: string } {
  const stop = steps.find((s) => s.k === "stop" || s.k === "first" || s.k === "stats")
  if (stop) return { unsupported: stop.k === "stop" ? stop.reason : `${stop.k} step in a row stage` }
  if (steps.every((s) => s.k === "pass")) return (row) => [row]
  const plan: RowPlan = searchmatch ? { steps, searchmatch } : { steps }
  const compiled = compileRowPlan(plan)
  const options = lookups ? { lookups } : {}
  return (row) => {
    const r = runRows(compiled, row, options)
    if (r.verdict === "unknown") return "unknown"
    return r.verdict ? r.rows.map(normalised) : []
  }
}

/** `dedup f…`: the first row of each value combination; rows missing a field are dropped. */
export function dedupStage(body: string): RowFn | { unsupported: string } {
  const words = topLevelWords(body, true).map((w) => unq(w.w))
  const fields = words.filter((w) => !/=/.test(w) && !/^\d+$/.test(w) && !/^sortby$/i.test(w))
  if (!fields.length || words.some((w) => /=/.test(w) || /^sortby$/i.test(w) || /^\d+$/.test(w)))
    return { unsupported: "dedup with options is not run over a log yet" }
  const seen = new Set<string>()
  return (row) => {
    const vals = fields.map((f) => row[f])
    if (vals.some((v) => v === undefined)) return []
    const key = JSON.stringify(vals)
    if (seen.has(key)) return []
    if (seen.size < MAX_DEDUP_KEYS) seen.add(key)
    return [row]
  }
}

/** `head N`: the first N rows, in log order. */
export function headStage(body: string): RowFn | { unsupported: string } {
  const m = /^\s*(?:limit=)?(\d+)?\s*$/.exec(body)
  if (!m) return { unsupported: "head with a condition is not run over a log yet" }
  const n = Number(m[1] ?? 10)
  let seen = 0
  return (row) => (seen++ < n ? [row] : [])
}
