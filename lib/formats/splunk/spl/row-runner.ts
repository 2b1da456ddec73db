/**
 * The per-event row runner: executes the streaming stages of an SPL pipeline on one event and
 * gives back the resulting row(s) and the verdict of the filters between them.
 *
 * Owns: row semantics of eval, rex (named groups through re2js, `mode=sed`), rename (with
 * wildcards), fillnull, spath on JSON fields, makemv/mvexpand, lookup against loaded tables,
 * fields/table, convert ctime, bin/bucket on time, and the filters (search, regex, where) on a
 * row; the single-event reading of stats/tstats (one event aggregates to one row).
 *
 * API:
 * - `compileRowPlan(plan)` once per rule (plans are plain JSON, built at build time by
 *   row-plan.ts and shipped with the analysis), then
 * - `runRows(compiled, event, options)` per event → `RowRun`:
 *   `verdict` true (some row passes every stage), false (every row dropped by a filter), or
 *   'unknown' (a stage could not be run and its outcome matters: `reason` says which);
 *   `rows`: the rows alive where the run ended; `stoppedAt`: the step (index into
 *   `plan.steps`) where the run stopped, when it did not reach the end.
 * - options.mode 'event' (default) reads stats/tstats as aggregating the one event (count=1…);
 *   'stream' stops at the first stage that combines events (stats, eventstats, streamstats,
 *   tstats' aggregation, …) with `stoppedAt` on it and the rows that reach it, so a caller
 *   holding many events (the log hunt) can aggregate them and go on from there. A tstats rule
 *   then stops at step 0 after its WHERE, its rows carrying each field bare and under the
 *   data-model prefix.
 *
 * Invariants:
 * - Pure; never throws on rule or event input (what cannot be run becomes 'unknown').
 * - The generating stage's filter is the analysis' own stage predicate, read on the event as
 *   the rest of the engine reads it; later filters read the row under the names the rule
 *   writes at that point.
 * - Three-valued to the end: a stage the runner cannot execute decides nothing by itself; the
 *   verdict is 'unknown' only when a later step could still drop the row.
 * - Light: imports the eval interpreter and the predicate core only (it runs in the tester's
 *   worker), no parser.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { RE2JS } from "re2js"
import { compile, evaluate, type CompiledPredicate } from "../../../predicate/compile.ts"
import { EventView } from "../../../predicate/event-view.ts"
import type { EvaluateOptions } from "../../../predicate/leaf-tests.ts"
import type { Event, EventValue, Predicate } from "../../../predicate/types.ts"
import type { LookupTableData } from "../../../model/types.ts"
import {
  EvalUnsupported,
  evalCondition,
  evalExpr,
  re2,
  strftime,
  toRowValue,
  type EvalContext,
  type Scalar,
} from "./eval-interp.ts"
import type { Expr } from "./eval-parser.ts"
import { rowsMatching } from "./lookup-index.ts"

/** An aggregate of a stats-like stage: `fn(arg) as output`. */
export type RowAggregate = { fn: string; arg?: string; output: string }

/** One executable step; `stage` is the pipeline stage it comes from. Plain JSON. */
export type RowStep =
  | {
      k: "first"
      stage: number
      /**
       * The stage's predicate over event fields (data-model prefixes resolved). Left out of plans
       * shipped with an analysis, which holds it as its first stage's predicate: see compileRowPlan.
       */
      predicate?: Predicate
      /** tstats: the data-model prefixes, BY fields, fillnull_value and aggregates. */
      tstats?: { prefixes: string[]; by: string[]; fillnull?: string; aggregates: RowAggregate[] }
    }
  | { k: "filter"; stage: number; predicate: Predicate }
  | { k: "where"; stage: number; expr: Expr }
  | { k: "eval"; stage: number; assign: Array<{ name: string; expr: Expr }> }
  | {
      k: "rex"
      stage: number
      field: string
      pattern: string
      /** Named groups in pattern order. */
      names: string[]
      maxMatch: number
    }
  | { k: "sed"; stage: number; field: string; pattern: string; replacement: string; global: boolean; nth: number }
  | { k: "rename"; stage: number; pairs: Array<{ from: string; to: string }> }
  | { k: "fillnull"; stage: number; value: string; fields: string[] }
  | { k: "spath"; stage: number; input: string; path?: string; output?: string }
  | { k: "makemv"; stage: number; field: string; delim?: string; tokenizer?: string; allowEmpty: boolean }
  | { k: "mvexpand"; stage: number; field: string; limit?: number }
  | {
      k: "lookup"
      stage: number
      table: string
      inputs: Array<{ column: string; field: string }>
      /** Empty: every column that is not an input. */
      outputs: Array<{ column: string; field: string }>
      outputNew: boolean
    }
  | { k: "fields"; stage: number; keep: boolean; names: string[] }
  | { k: "convert"; stage: number; format: string; items: Array<{ field: string; as: string }> }
  | { k: "bin"; stage: number; field: string; span: number; as: string }
  | { k: "stats"; stage: number; by: string[]; aggregates: RowAggregate[]; command: string }
  | {
      k: "foreach"
      stage: number
      /** Field-name patterns (`a*`). */
      patterns: string[]
      /**
       * The eval template, `<<FIELD>>` and `<<MATCHSTR>>` standing as the names FOREACH_FIELD and
       * FOREACH_MATCH (in field names, assignment targets and string literals alike).
       */
      assign: Array<{ name: string; expr: Expr }>
    }
  | { k: "replace"; stage: number; pairs: Array<{ from: string; to: string }>; fields: string[] }
  | { k: "pass"; stage: number }
  | {
      k: "stop"
      stage: number
      reason: string
      /** Whether the stage can drop a row (join, unknown command) or only adds fields (lookup, iplocation). */
      drops: boolean
      /** The fields a non-dropping stage adds, when known (iplocation's City, Country…). */
      adds?: string[]
    }

/** Stand-ins for foreach's `<<FIELD>>` and `<<MATCHSTR>>` in a parsed template. */
export const FOREACH_FIELD = "__foreach_field__"
export const FOREACH_MATCH = "__foreach_match__"

/** The template with the stand-ins replaced by one field's name and wildcard match. */
function instantiate(e: Expr, field: string, match: string): Expr {
  const sub = (t: string) => t.split(FOREACH_FIELD).join(field).split(FOREACH_MATCH).join(match)
  switch (e.k) {
    case "field":
      return { k: "field", name: sub(e.name) }
    case "str":
      return { k: "str", v: sub(e.v) }
    case "call":
      return { k: "call", fn: e.fn, args: e.args.map((a) => instantiate(a, field, match)) }
    case "bin":
      return { k: "bin", op: e.op, l: instantiate(e.l, field, match), r: instantiate(e.r, field, match) }
    case "like":
      return { k: "like", l: instantiate(e.l, field, match), r: instantiate(e.r, field, match) }
    case "in":
      return { k: "in", l: instantiate(e.l, field, match), list: e.list.map((a) => instantiate(a, field, match)) }
    case "not":
      return { k: "not", e: instantiate(e.e, field, match) }
    case "neg":
      return { k: "neg", e: instantiate(e.e, field, match) }
    case "bool":
      return { k: "bool", op: e.op, args: e.args.map((a) => instantiate(a, field, match)) }
    default:
      return e
  }
}

export type RowPlan = {
  steps: RowStep[]
  /** `searchmatch("…")` queries of the plan's expressions, parsed. */
  searchmatch?: Record<string, Predicate>
}

/** A lookup table as the runner reads it: the catalog's table data (lookups/*.yml definition + CSV rows). */
export type LookupTable = LookupTableData

export type RunOptions = EvaluateOptions & {
  mode?: "event" | "stream"
  /** The search time (epoch seconds) for now()/relative_time; default the event's `_time`. */
  now?: number
  /** Lookup tables by the name the rule uses; a missing table makes the lookup stage undecided. */
  lookups?: (name: string) => LookupTable | undefined
  /** The caller's view of `event`: the generating stage's filter reads it instead of a new one. */
  view?: EventView
  /**
   * The caller reads only `verdict` and `reason` (the tester): a run whose outcome is settled
   * before its rows are worked on (see CompiledRowPlan.settledAt) skips the work and gives back
   * the rows as they stood.
   */
  verdictOnly?: boolean
}

export type MutableRow = Record<string, EventValue>

export type RowRun = {
  verdict: boolean | "unknown"
  rows: MutableRow[]
  reason?: string
  stoppedAt?: number
}

type Compiled = {
  plan: RowPlan
  predicates: Map<RowStep, CompiledPredicate>
  canDropAfter: boolean[]
  /** Per step: why its aggregates cannot be computed over one event (the first that cannot), if so. */
  aggregateFailures: Array<string | undefined>
  /**
   * The step after the generating one where every run that gets past the generating step ends,
   * when the steps between can neither drop a row nor fail: a `stop`, or a `lookup` whose table
   * is not loaded (checked when run). Undefined when there is no such step.
   */
  settledAt: number | undefined
}
export type CompiledRowPlan = Compiled

const DROPPING = new Set(["first", "filter", "where", "stats"])

/**
 * Compiles a plan once per rule. `firstPredicate`: the generating stage's predicate when the
 * plan's first step does not carry it (the analysis' `stages[0].predicate`; none = match all).
 */
export function compileRowPlan(plan: RowPlan, firstPredicate?: Predicate): CompiledRowPlan {
  const predicates = new Map<RowStep, CompiledPredicate>()
  for (const s of plan.steps) {
    if (s.k === "first") predicates.set(s, compile(firstPredicate ?? s.predicate ?? { op: "true" }))
    else if (s.k === "filter") predicates.set(s, compile(s.predicate))
  }
  // canDropAfter[i]: some step after i may drop a row, so a stage not run at i leaves the verdict open.
  const canDropAfter = plan.steps.map(() => false)
  let later = false
  for (let i = plan.steps.length - 1; i >= 0; i--) {
    canDropAfter[i] = later
    const s = plan.steps[i] as RowStep
    if (DROPPING.has(s.k) || (s.k === "stop" && s.drops)) later = true
  }
  const aggregateFailures = plan.steps.map((s) => {
    const aggs = s.k === "stats" ? s.aggregates : s.k === "first" ? s.tstats?.aggregates : undefined
    for (const a of aggs ?? []) {
      const f = aggregateFailure(a)
      if (f !== undefined) return f
    }
    return undefined
  })
  let settledAt: number | undefined
  for (let i = 1; i < plan.steps.length; i++) {
    const s = plan.steps[i] as RowStep
    if (s.k === "stop" || s.k === "lookup") settledAt = i
    if (!INERT.has(s.k) || (s.k === "makemv" && s.tokenizer !== undefined)) break
  }
  return { plan, predicates, canDropAfter, aggregateFailures, settledAt }
}

/**
 * Steps that never drop a row, never fail and never leave a row open: a run that reaches a
 * settling step through them only (CompiledRowPlan.settledAt) ends there whatever they did.
 */
const INERT = new Set<RowStep["k"]>([
  "rename",
  "convert",
  "fields",
  "fillnull",
  "bin",
  "pass",
  "spath",
  "replace",
  "mvexpand",
  "makemv",
])

const first = (v: EventValue): string | undefined => {
  if (v === null || v === undefined) return undefined
  if (Array.isArray(v)) {
    const x = v.find((y) => y !== null && y !== undefined)
    return x === undefined || x === null ? undefined : String(x)
  }
  return String(v)
}
const values = (v: EventValue): string[] =>
  v === null || v === undefined
    ? []
    : Array.isArray(v)
      ? v.filter((x) => x !== null && x !== undefined).map(String)
      : [String(v)]

/**
 * A row's own copy of an event's fields. Copied key by key: V8 gives an object spread
 * (`{ ...event }`) a layout that every field the runner then adds (the data-model prefixed
 * copies, eval results) leaves the fast path for, about ten times slower per added field.
 */
function copyRow(event: Event): MutableRow {
  const row: MutableRow = {}
  for (const k of Object.keys(event)) row[k] = event[k]
  return row
}

function setField(row: MutableRow, name: string, v: Scalar | Scalar[] | null | string[]): void {
  if (v === null || (Array.isArray(v) && v.length === 0)) delete row[name]
  else row[name] = Array.isArray(v) ? v.map(String) : typeof v === "number" ? String(v) : v
}

const globs = new Map<string, RE2JS>()

/** Whole-value glob with `*` (rule text, run through re2js) → the stars' captures, or null. */
function nameMatch(pattern: string, name: string): string[] | null {
  const star = pattern.indexOf("*")
  if (star < 0) return pattern === name ? [] : null
  // One star (`Processes.*`): a prefix and suffix test, the same capture the regex gives.
  if (pattern.indexOf("*", star + 1) < 0) {
    const pre = pattern.slice(0, star)
    const post = pattern.slice(star + 1)
    if (name.length < pre.length + post.length || !name.startsWith(pre) || !name.endsWith(post)) return null
    return [name.slice(pre.length, name.length - post.length)]
  }
  let re = globs.get(pattern)
  if (!re) {
    re = RE2JS.compile(
      pattern
        .split("*")
        .map((p) => RE2JS.quote(p))
        .join("(.*)"),
      RE2JS.DOTALL,
    )
    if (globs.size >= 1_024) globs.delete(globs.keys().next().value as string)
    globs.set(pattern, re)
  }
  const m = re.matcher(name)
  if (!m.matches()) return null
  const out: string[] = []
  for (let i = 1; i <= m.groupCount(); i++) out.push(m.group(i) ?? "")
  return out
}

/**
 * Field names the runner makes from other names, kept: a name built afresh for each row (a new
 * string) costs V8 a hash and a slow property lookup on every use, a kept one does not. Bounded:
 * a table that outgrows NAME_CACHE_LIMIT starts again.
 */
const NAME_CACHE_LIMIT = 4_096
type NameTable = Map<string, string | null>
const prefixedNames = new Map<string, NameTable>()
const unprefixedNames = new Map<string, NameTable>()
const renamedNames = new Map<string, Map<string, NameTable>>()

function tableOf<K>(tables: Map<K, NameTable>, key: K): NameTable {
  let m = tables.get(key)
  if (!m) tables.set(key, (m = new Map()))
  else if (m.size >= NAME_CACHE_LIMIT) m.clear()
  return m
}

/** `prefix.name`. */
function prefixed(prefix: string, name: string): string {
  const m = tableOf(prefixedNames, prefix)
  let out = m.get(name)
  if (out == null) m.set(name, (out = `${prefix}.${name}`))
  return out
}

/** `name` without its `prefix.`, or undefined when it does not start with it. */
function unprefixed(prefix: string, name: string): string | undefined {
  const m = tableOf(unprefixedNames, prefix)
  let out = m.get(name)
  if (out === undefined) m.set(name, (out = name.startsWith(`${prefix}.`) ? name.slice(prefix.length + 1) : null))
  return out ?? undefined
}

/** The new name of `name` under a wildcard rename `from` → `to`, or null when `from` does not match it. */
function renamed(from: string, to: string, name: string): string | null {
  let byTo = renamedNames.get(from)
  if (!byTo) renamedNames.set(from, (byTo = new Map()))
  const m = tableOf(byTo, to)
  let out = m.get(name)
  if (out === undefined) {
    const caps = nameMatch(from, name)
    let i = 0
    out = caps ? to.replace(/\*/g, () => caps[i++] ?? "") : null
    m.set(name, out)
  }
  return out
}

function renameRow(row: MutableRow, from: string, to: string): void {
  if (!from.includes("*")) {
    if (from === to || !(from in row)) return
    row[to] = row[from]
    delete row[from]
    return
  }
  const moves: Array<[string, string]> = []
  for (const name of Object.keys(row)) {
    const target = renamed(from, to, name)
    if (target !== null) moves.push([name, target])
  }
  const vals = moves.map(([a]) => row[a])
  for (const [a] of moves) delete row[a]
  moves.forEach(([, b], i) => (row[b] = vals[i]))
}

/** JSON value at a Splunk spath path (`a.b{}.c`, `a{0}`); arrays without an index fan out. */
function spathGet(doc: unknown, path: string): unknown[] {
  let cur: unknown[] = [doc]
  for (const part of path.split(".")) {
    const m = /^([^{}]*)((?:\{\d*\})*)$/.exec(part)
    if (!m) return []
    const next: unknown[] = []
    for (const c of cur) {
      let v: unknown = c
      if (m[1] !== "")
        v =
          v !== null && typeof v === "object" && !Array.isArray(v)
            ? (v as Record<string, unknown>)[m[1] as string]
            : undefined
      let vs: unknown[] = v === undefined ? [] : [v]
      for (const idx of (m[2] as string).match(/\{\d*\}/g) ?? []) {
        const n = idx.slice(1, -1)
        vs = vs.flatMap((x) =>
          Array.isArray(x) ? (n === "" ? x : x[Number(n)] === undefined ? [] : [x[Number(n)]]) : [],
        )
      }
      next.push(...vs)
    }
    cur = next
  }
  return cur
}

/** Every leaf of a JSON value under Splunk's flattened names (`a.b`, `list{}.c`). */
function spathAll(doc: unknown, prefix: string, out: Map<string, string[]>): void {
  if (Array.isArray(doc)) {
    for (const x of doc) spathAll(x, `${prefix}{}`, out)
    return
  }
  if (doc !== null && typeof doc === "object") {
    for (const [k, v] of Object.entries(doc)) spathAll(v, prefix ? `${prefix}.${k}` : k, out)
    return
  }
  if (!prefix) return
  const list = out.get(prefix) ?? []
  list.push(doc === null ? "null" : String(doc))
  out.set(prefix, list)
}

const jsonText = (v: unknown): string => (v !== null && typeof v === "object" ? JSON.stringify(v) : String(v))

function lookupRow(step: RowStep & { k: "lookup" }, table: LookupTable, row: MutableRow): void {
  const colIndex = (c: string) => table.columns.indexOf(c)
  const hits: string[][] = []
  const max = table.maxMatches ?? 100
  const tests = step.inputs.map(({ column, field }) => ({ ix: colIndex(column), vals: values(row[field]) }))
  if (tests.every((t) => t.ix >= 0 && t.vals.length > 0)) {
    // The rows every input matches (lookup-index.ts), in table order.
    let rows: number[] | undefined
    for (const t of tests) {
      const matched = rowsMatching(table, t.ix, t.vals)
      if (rows === undefined) rows = matched
      else {
        const keep = new Set(matched)
        rows = rows.filter((r) => keep.has(r))
      }
      if (!rows.length) break
    }
    for (const r of rows ?? []) {
      hits.push(table.rows[r]!)
      if (hits.length >= max) break
    }
  }
  const inputCols = new Set(step.inputs.map((i) => i.column))
  const outputs = step.outputs.length
    ? step.outputs
    : table.columns.filter((c) => !inputCols.has(c)).map((c) => ({ column: c, field: c }))
  for (const { column, field } of outputs) {
    if (step.outputNew && row[field] !== undefined && row[field] !== null) continue
    const ix = colIndex(column)
    const vals = ix < 0 ? [] : [...new Set(hits.map((h) => h[ix] ?? "").filter((x) => x !== ""))]
    if (vals.length) setField(row, field, vals.length === 1 ? (vals[0] as string) : vals)
    else if (table.defaultMatch !== undefined && hits.length === 0) setField(row, field, table.defaultMatch)
    else delete row[field]
  }
}

function numeric(v: string | undefined): number | null {
  if (v === undefined) return null
  const n = Number(v)
  return v.trim() !== "" && Number.isFinite(n) ? n : null
}

/** Aggregates one event gives a value for (aggregateOne); the others leave the rule open. */
const ONE_EVENT_AGGREGATES = new Set([
  "count",
  "dc",
  "distinct_count",
  "values",
  "list",
  "first",
  "last",
  "earliest",
  "latest",
  "mode",
  "min",
  "max",
  "sum",
  "avg",
  "mean",
  "earliest_time",
  "latest_time",
])

/** Why one event gives no value for this aggregate (the rule text alone says), or undefined. */
function aggregateFailure(a: RowAggregate): string | undefined {
  if (a.fn === "count" && (a.arg === undefined || a.arg === "")) return undefined
  if (a.arg === undefined || !/^[\w.{}:@-]+$/.test(a.arg)) return `${a.fn}(${a.arg ?? ""}) over one event`
  return ONE_EVENT_AGGREGATES.has(a.fn) ? undefined : `${a.fn}() over one event`
}

/**
 * The one-event value of an aggregate aggregateFailure passes (compileRowPlan checks each
 * stage's aggregates once, so a stage with one that fails stops before computing any).
 */
function aggregateOne(a: RowAggregate, row: MutableRow): Scalar | string[] | null {
  if (a.fn === "count" && (a.arg === undefined || a.arg === "")) return 1
  if (a.arg === undefined) return null
  const vals = values(row[a.arg])
  switch (a.fn) {
    case "count":
      return vals.length
    case "dc":
    case "distinct_count":
      return new Set(vals).size
    case "values":
      return vals.length ? [...new Set(vals)].sort() : null
    case "list":
      return vals.length ? vals : null
    case "first":
    case "last":
    case "earliest":
    case "latest":
    case "mode":
      return vals[0] ?? null
    case "min":
    case "max": {
      if (!vals.length) return null
      const nums = vals.map(numeric)
      if (nums.every((n) => n !== null)) return fn(nums as number[]) as number
      return [...vals].sort()[a.fn === "min" ? 0 : vals.length - 1] as string
      function fn(ns: number[]) {
        return a.fn === "min" ? Math.min(...ns) : Math.max(...ns)
      }
    }
    case "sum":
    case "avg":
    case "mean": {
      const nums = vals.map(numeric).filter((n): n is number => n !== null)
      if (!nums.length) return null
      const s = nums.reduce((x, y) => x + y, 0)
      return a.fn === "sum" ? s : s / nums.length
    }
    case "earliest_time":
    case "latest_time":
      return first(row["_time"]) ?? null
  }
  return null
}

/** Runs the plan on one event; see the module comment. */
export function runRows(compiled: CompiledRowPlan, event: Event, options: RunOptions = {}): RowRun {
  const { plan, predicates, canDropAfter, aggregateFailures, settledAt } = compiled
  const mode = options.mode ?? "event"
  const metadata: EvaluateOptions = options.metadata === undefined ? {} : { metadata: options.metadata }
  const evalCtx: EvalContext = {}
  if (options.now !== undefined) evalCtx.now = options.now
  if (plan.searchmatch) {
    const sm = plan.searchmatch
    evalCtx.searchmatch = (q) => sm[q]
  }
  let rows: MutableRow[] = [copyRow(event)]
  let unknownReason: string | undefined
  // A step that cannot run leaves the verdict open only if it, or a later step, could drop the row.
  const end = (i: number, reason: string, selfDrops: boolean): RowRun => {
    if (!selfDrops && !canDropAfter[i]) return finish(i)
    return { verdict: "unknown", rows, reason, stoppedAt: i }
  }
  const finish = (stoppedAt?: number): RowRun => {
    const out: RowRun = rows.length
      ? { verdict: true, rows }
      : unknownReason
        ? { verdict: "unknown", rows, reason: unknownReason }
        : { verdict: false, rows }
    if (stoppedAt !== undefined) out.stoppedAt = stoppedAt
    return out
  }
  // The step every run that passes the generating step ends at, when the caller wants the verdict only.
  let settled: RowStep | undefined
  if (options.verdictOnly && settledAt !== undefined && mode === "event") {
    const s = plan.steps[settledAt] as RowStep
    if (s.k === "stop" || (s.k === "lookup" && !options.lookups?.(s.table))) settled = s
  }
  const settle = (s: RowStep, at: number): RowRun =>
    s.k === "stop"
      ? end(at, s.reason, s.drops)
      : end(at, `the lookup table ${(s as { table: string }).table} is not loaded`, false)
  for (let i = 0; i < plan.steps.length; i++) {
    const step = plan.steps[i] as RowStep
    if (rows.length === 0) break
    if (settled && i > 0 && step.k !== "first") return settle(settled, settledAt as number)
    try {
      switch (step.k) {
        case "first": {
          const r = evaluate(predicates.get(step) as CompiledPredicate, options.view ?? new EventView(event), {
            ...metadata,
            trace: false,
          }).matched
          if (r === false) return { verdict: false, rows: [] }
          if (r === "unknown")
            return { verdict: "unknown", rows, reason: "the first stage cannot be decided on this event", stoppedAt: i }
          const t = step.tstats
          if (!t) break
          if (settled && (t.fillnull !== undefined || t.by.length === 0)) {
            // No BY field can drop the row: only an aggregate that fails ends the run before the settling step.
            const failure = aggregateFailures[i]
            if (failure !== undefined) return end(i, `stage ${step.stage + 1}: ${failure}`, true)
            return settle(settled, settledAt as number)
          }
          const row = rows[0] as MutableRow
          const keys = Object.keys(event)
          for (const p of t.prefixes)
            for (const k of keys)
              if (!k.includes(".")) {
                const name = prefixed(p, k)
                if (!(name in row)) row[name] = event[k]
              }
          for (const p of t.prefixes)
            for (const k of keys) {
              const name = unprefixed(p, k)
              if (name !== undefined && !(name in row)) row[name] = event[k]
            }
          if (mode === "stream") return { verdict: true, rows, stoppedAt: i }
          for (const b of t.by)
            if (first(row[b]) === undefined) {
              if (t.fillnull === undefined) return { verdict: false, rows: [] }
              row[b] = t.fillnull
            }
          const failure = aggregateFailures[i]
          if (failure !== undefined) return end(i, `stage ${step.stage + 1}: ${failure}`, true)
          for (const a of t.aggregates) setField(row, a.output, aggregateOne(a, row))
          break
        }
        case "filter": {
          const c = predicates.get(step) as CompiledPredicate
          rows = rows.filter((row) => {
            const r = evaluate(c, new EventView(row), { ...metadata, trace: false }).matched
            if (r === "unknown") unknownReason ??= `stage ${step.stage + 1} cannot be decided on this row`
            return r === true
          })
          break
        }
        case "where":
          rows = rows.filter((row) => evalCondition(step.expr, row, evalCtx) === true)
          break
        case "eval":
          for (const row of rows)
            for (const a of step.assign) setField(row, a.name, toRowValue(evalExpr(a.expr, row, evalCtx)))
          break
        case "rex": {
          const re = re2(step.pattern)
          for (const row of rows) {
            const text = first(row[step.field])
            if (text === undefined) continue
            const m = re.matcher(text)
            const found = new Map<string, string[]>()
            let n = 0
            while (n < step.maxMatch && m.find()) {
              n++
              for (const name of step.names) {
                const g = m.group(name)
                if (g !== null) found.set(name, [...(found.get(name) ?? []), g])
              }
              if (m.end() === m.start() && m.end() >= text.length) break
            }
            for (const [name, vs] of found) setField(row, name, vs.length === 1 ? (vs[0] as string) : vs)
          }
          break
        }
        case "sed": {
          const re = re2(step.pattern)
          const repl = step.replacement
            .replace(/\$/g, "$$$$")
            .replace(/\\(\d)/g, "$$$1")
            .replace(/(^|[^\\])&/g, "$1$$0")
          for (const row of rows) {
            const vs = values(row[step.field])
            if (!vs.length) continue
            const out = vs.map((v) => {
              if (step.global) return re.matcher(v).replaceAll(repl)
              if (step.nth <= 1) return re.matcher(v).replaceFirst(repl)
              let k = 0
              return re.matcher(v).replaceAll((...args: unknown[]) => {
                k++
                const whole = String(args[0])
                return k === step.nth ? re.matcher(whole).replaceFirst(repl) : whole
              })
            })
            setField(row, step.field, out.length === 1 ? (out[0] as string) : out)
          }
          break
        }
        case "rename":
          for (const row of rows) for (const p of step.pairs) renameRow(row, p.from, p.to)
          break
        case "fillnull":
          for (const row of rows) for (const f of step.fields) if (first(row[f]) === undefined) row[f] = step.value
          break
        case "spath":
          for (const row of rows) {
            const text = first(row[step.input])
            if (text === undefined) continue
            let doc: unknown
            try {
              doc = JSON.parse(text)
            } catch {
              continue
            }
            if (step.path === undefined) {
              const all = new Map<string, string[]>()
              spathAll(doc, "", all)
              for (const [k, vs] of all) setField(row, k, vs.length === 1 ? (vs[0] as string) : vs)
            } else {
              const vs = spathGet(doc, step.path).map(jsonText)
              setField(row, step.output ?? step.path, vs.length === 1 ? (vs[0] as string) : vs)
            }
          }
          break
        case "makemv":
          for (const row of rows) {
            const text = first(row[step.field])
            if (text === undefined) continue
            let parts: string[]
            if (step.tokenizer !== undefined) {
              const m = re2(step.tokenizer).matcher(text)
              parts = []
              while (m.find()) parts.push(m.groupCount() >= 1 ? (m.group(1) ?? "") : (m.group() ?? ""))
            } else parts = text.split(step.delim ?? " ")
            if (!step.allowEmpty) parts = parts.filter((p) => p !== "")
            setField(row, step.field, parts.length === 1 ? (parts[0] as string) : parts)
          }
          break
        case "mvexpand":
          rows = rows.flatMap((row) => {
            const vs = values(row[step.field])
            if (vs.length <= 1) return [row]
            return vs.slice(0, step.limit ?? vs.length).map((v) => {
              const copy = copyRow(row)
              copy[step.field] = v
              return copy
            })
          })
          break
        case "lookup": {
          const table = options.lookups?.(step.table)
          if (!table) return end(i, `the lookup table ${step.table} is not loaded`, false)
          for (const row of rows) lookupRow(step, table, row)
          break
        }
        case "fields":
          for (const row of rows)
            for (const k of Object.keys(row)) {
              const listed = step.names.some((n) => nameMatch(n, k) !== null)
              if (listed !== step.keep) delete row[k]
            }
          break
        case "convert":
          for (const row of rows)
            for (const it of step.items) {
              const vs = values(row[it.field])
                .map(numeric)
                .filter((n): n is number => n !== null)
              const out = vs.map((n) => strftime(n, step.format))
              if (out.length) setField(row, it.as, out.length === 1 ? (out[0] as string) : out)
            }
          break
        case "bin":
          for (const row of rows) {
            const n = numeric(first(row[step.field]))
            if (n !== null) row[step.as] = String(Math.floor(n / step.span) * step.span)
          }
          break
        case "stats": {
          if (mode === "stream") return { verdict: true, rows, stoppedAt: i }
          rows = rows.filter((row) => step.by.every((b) => first(row[b]) !== undefined))
          const failure = aggregateFailures[i]
          if (failure !== undefined && rows.length) return end(i, `stage ${step.stage + 1}: ${failure}`, true)
          for (const row of rows) for (const a of step.aggregates) setField(row, a.output, aggregateOne(a, row))
          break
        }
        case "foreach":
          for (const row of rows) {
            // Fields in name order (a0, a1, a10, a2…), as they stand before the template runs.
            const names = Object.keys(row).sort()
            for (const name of names)
              for (const p of step.patterns) {
                const caps = nameMatch(p, name)
                if (!caps) continue
                const match = caps.join("")
                for (const a of step.assign)
                  setField(
                    row,
                    a.name.split(FOREACH_FIELD).join(name).split(FOREACH_MATCH).join(match),
                    toRowValue(evalExpr(instantiate(a.expr, name, match), row, evalCtx)),
                  )
                break
              }
          }
          break
        case "replace":
          for (const row of rows)
            for (const f of step.fields.length ? step.fields : Object.keys(row)) {
              const vs = values(row[f])
              if (!vs.length) continue
              const out = vs.map((v) => {
                for (const p of step.pairs) {
                  const caps = nameMatch(p.from, v)
                  if (caps) {
                    let i = 0
                    return p.to.replace(/\*/g, () => caps[i++] ?? "")
                  }
                }
                return v
              })
              setField(row, f, out.length === 1 ? (out[0] as string) : out)
            }
          break
        case "pass":
          break
        case "stop":
          return end(i, step.reason, step.drops)
      }
    } catch (e) {
      if (!(e instanceof EvalUnsupported)) throw e
      return end(i, `stage ${step.stage + 1}: ${e.reason}`, DROPPING.has(step.k))
    }
  }
  return finish()
}
