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
import type { Expr } from "../formats/splunk/spl/eval-parser.ts"
import type { EventValue, Predicate } from "../predicate/types.ts"
import { isLeaf } from "../predicate/types.ts"
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

export function normalised(row: Record<string, EventValue>): Row {
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
  const only = steps.length === 1 ? steps[0]! : undefined
  if (only?.k === "lookup") {
    const table = lookups?.(only.table)
    if (table) return lookupStage(only, table, (row) => runRows(compiled, row, options))
  }
  const run: RowFn = (row) => {
    const r = runRows(compiled, row, options)
    if (r.verdict === "unknown") return "unknown"
    return r.verdict ? r.rows.map(normalised) : []
  }
  const fields = stageFields(steps)
  return fields ? memoStage(fields, run) : run
}

/** Eval functions whose value depends on more than their arguments (the clock, chance, other rows or tables). */
const IMPURE = new Set(["searchmatch", "now", "time", "random", "lookup"])

export function exprFields(e: Expr, out: Set<string>): boolean {
  switch (e.k) {
    case "field":
      if (e.name.includes("*") || e.name.includes("{")) return false
      out.add(e.name)
      return true
    case "call":
      return !IMPURE.has(e.fn.toLowerCase()) && e.args.every((a) => exprFields(a, out))
    case "bin":
    case "like":
      return exprFields(e.l, out) && exprFields(e.r, out)
    case "in":
      return exprFields(e.l, out) && e.list.every((a) => exprFields(a, out))
    case "not":
    case "neg":
      return exprFields(e.e, out)
    case "bool":
      return e.args.every((a) => exprFields(a, out))
    case "num":
    case "str":
      return true
    default:
      return false
  }
}

function predicateFields(p: Predicate, out: Set<string>): boolean {
  if (isLeaf(p)) {
    if (p.op === "keyword" || p.op === "unknown") return false
    const names = p.op === "fieldcmp" ? [p.field, p.other] : [p.field]
    for (const f of names) {
      if (f.includes("*")) return false
      out.add(f)
      if (p.dm !== undefined) out.add(`${p.dm}.${f}`)
    }
    return true
  }
  if (p.op === "not") return predicateFields(p.arg, out)
  if (p.op === "and" || p.op === "or" || p.op === "xor") return p.args.every((a) => predicateFields(a, out))
  return true
}

/**
 * Every field a stage's steps read or write, when they are known from the steps alone and the
 * outcome depends on nothing else (no clock, no chance, no whole-row search, no wildcard names);
 * undefined otherwise.
 */
export function stageFields(steps: RowStep[]): Set<string> | undefined {
  const out = new Set<string>()
  for (const s of steps) {
    switch (s.k) {
      case "pass":
        break
      case "eval":
        for (const a of s.assign) {
          if (a.name.includes("*") || a.name.includes("{")) return undefined
          out.add(a.name)
          if (!exprFields(a.expr, out)) return undefined
        }
        break
      case "where":
        if (!exprFields(s.expr, out)) return undefined
        break
      case "filter":
        if (!predicateFields(s.predicate, out)) return undefined
        break
      case "fillnull":
        for (const f of s.fields) {
          if (f.includes("*")) return undefined
          out.add(f)
        }
        break
      case "rex":
        out.add(s.field)
        for (const n of s.names) out.add(n)
        break
      case "convert":
        for (const it of s.items) {
          if (it.field.includes("*") || it.as.includes("*")) return undefined
          out.add(it.field)
          out.add(it.as)
        }
        break
      default:
        return undefined
    }
  }
  return out
}

/**
 * A row's field names (those with a value) as one text, made once per row object: one event's
 * first row goes into the first stage of every rule that takes the event.
 */
const rowNames = new WeakMap<Row, string>()
function namesKey(row: Row): string {
  let key = rowNames.get(row)
  if (key === undefined) {
    key = ""
    for (const k in row) {
      const v = row[k]!
      if (typeof v === "string" || v.length > 0) key += `${k}\u0000`
    }
    key += "\u0001"
    rowNames.set(row, key)
  }
  return key
}

/** The values of `fields` in a row as one text: each prefixed by its length, lists by their count, absent as `-`. */
function valuesKey(row: Row, fields: string[]): string {
  let key = ""
  for (let i = 0; i < fields.length; i++) {
    const v = row[fields[i]!]
    if (v === undefined) key += "-"
    else if (typeof v === "string") key += `${v.length}:${v}`
    else {
      key += `[${v.length}`
      for (const x of v) key += `,${x.length}:${x}`
    }
  }
  return key
}

/** Distinct rows a stage remembers the outcome of, and when it gives up on remembering. */
export const MAX_STAGE_MEMO = 256
const MEMO_TRIAL = 512

/** A remembered outcome: undecided, dropped, the row as it came, or the row with these fields set. */
type Outcome = "unknown" | "same" | { keys: string[]; set: Map<string, Value> } | null

/** Whether normalising the row changes nothing: no list of fewer than two values. */
function normal(row: Row): boolean {
  for (const k in row) {
    const v = row[k]!
    if (typeof v !== "string" && v.length < 2) return false
  }
  return true
}

/** Whether two rows hold the same fields in the same order with the same values. */
function sameRow(a: Row, b: Row): boolean {
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!
    if (k !== kb[i]) return false
    const x = a[k]!
    const y = b[k]!
    if (typeof x === "string" || typeof y === "string") {
      if (x !== y) return false
    } else if (x.length !== y.length || x.some((v, j) => v !== y[j])) return false
  }
  return true
}

/**
 * A per-row stage with its outcome remembered: when its steps read and write only the fields
 * `fields` names (stageFields), the rows it makes of a row are fixed by the row's field names and
 * the values of those fields; every other field passes through as is. Rules for other products
 * take every event of a process log through the same `rex`/`eval`/`search` and drop it the same
 * way; a stage whose rows rarely repeat stops remembering after a trial (memory stays bounded).
 */
function memoStage(fields: Set<string>, run: RowFn): RowFn {
  const read = [...fields]
  let memo: Map<string, Outcome> | undefined = new Map()
  let tries = 0
  let hits = 0
  return (row) => {
    if (!memo) return run(row)
    const key = namesKey(row) + valuesKey(row, read)
    const got = memo.get(key)
    tries++
    if (got !== undefined) {
      hits++
      if (got === "unknown") return "unknown"
      if (got === null) return []
      // Rows are never changed once made, so the row itself stands for its equal, unless a list
      // of it would be normalised (a one-value list to its text).
      if (got === "same" && normal(row)) return [row]
      if (got === "same") return [normalised(row)]
      const out: Row = {}
      for (const k of got.keys) {
        const v = got.set.has(k) ? got.set.get(k) : rowValue(row[k]!)
        if (v !== undefined) out[k] = v
      }
      return [out]
    }
    const r = run(row)
    if (tries >= MEMO_TRIAL && hits * 4 < tries) {
      memo = undefined
      return r
    }
    if (memo.size < MAX_STAGE_MEMO) {
      if (r === "unknown") memo.set(key, "unknown")
      else if (r.length === 0) memo.set(key, null)
      else if (r.length === 1 && sameRow(r[0]!, row)) memo.set(key, "same")
      else if (r.length === 1) {
        const done = r[0]!
        const set = new Map<string, Value>()
        for (const f of read) if (done[f] !== undefined) set.set(f, done[f])
        memo.set(key, { keys: Object.keys(done), set })
      }
    }
    return r
  }
}

/**
 * Distinct input values a lookup stage remembers the outcome of; past it rows run the lookup. A
 * stage whose input values rarely repeat (a lookup on the command line) stops remembering after a
 * trial, as memoStage does.
 */
export const MAX_LOOKUP_MEMO = 4096

/**
 * A `lookup` stage with its outcome remembered per value: what it does to a row (each output
 * field set to a value or removed, in the order the lookup writes them) depends only on the
 * row's input fields and, for OUTPUTNEW, on the output fields it already has. Over a log the
 * same host, user or process name comes back in many rows, and a table of a few hundred
 * wildcard rows is scanned once per distinct value instead of once per row.
 */
function lookupStage(
  step: RowStep & { k: "lookup" },
  table: LookupTable,
  run: (row: Row) => ReturnType<typeof runRows>,
): RowFn {
  const inputCols = new Set(step.inputs.map((i) => i.column))
  const outputs = step.outputs.length
    ? step.outputs.map((o) => o.field)
    : table.columns.filter((c) => !inputCols.has(c))
  const read = [...step.inputs.map((i) => i.field), ...outputs]
  let memo: Map<string, Array<[string, EventValue | undefined]>> | undefined = new Map()
  let tries = 0
  let hits = 0
  return (row) => {
    if (!memo) {
      const r = run(row)
      return r.verdict === "unknown" ? "unknown" : r.verdict ? r.rows.map(normalised) : []
    }
    const key = JSON.stringify(read.map((f) => row[f] ?? null))
    const writes = memo.get(key)
    tries++
    if (writes) {
      hits++
      const out: Record<string, EventValue> = { ...row }
      for (const [f, v] of writes) {
        if (v === undefined) delete out[f]
        else out[f] = v
      }
      return [normalised(out)]
    }
    const r = run(row)
    if (tries >= MEMO_TRIAL && hits * 4 < tries) memo = undefined
    if (r.verdict === "unknown") return "unknown"
    if (!r.verdict) return []
    if (memo && r.rows.length === 1 && memo.size < MAX_LOOKUP_MEMO) {
      const done = r.rows[0]!
      memo.set(
        key,
        outputs.map((f) => [f, done[f] ?? undefined]),
      )
    }
    return r.rows.map(normalised)
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
