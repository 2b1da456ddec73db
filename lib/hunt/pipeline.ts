/**
 * The multi-event stages of an SPL pipeline over a stream of rows: `stats`, `tstats … BY _time
 * span=`, `eventstats`, `streamstats` (with `by`), `bin`/`bucket span=`, and the per-row stages
 * between and after them (rows.ts), ending in the rule's result rows.
 *
 * Owns: grouping and the order of emission. `stats` and `tstats` emit their groups when the log
 * ends; `eventstats` holds its rows until then and adds each group's figures to them;
 * `streamstats` adds the running figures of the row's group as each row arrives (log order).
 * Every row carries its origin: the indices of the events behind it and their first/last time.
 *
 * Splunk's rules kept: a `stats`/`eventstats`/`streamstats` row whose BY field is null is
 * dropped by `stats` and passed through without figures by `eventstats`/`streamstats`; `tstats`
 * reads a null BY field as its `fillnull_value` when it has one, else drops the row; a multivalue
 * BY field puts the row in one group per value.
 *
 * Invariants (memory is bounded, not proportional to the log):
 * - at most MAX_GROUPS groups per stage and MAX_HELD rows held by an `eventstats`, and over all
 *   the rules of a hunt at most `Budget` groups and held rows (DEFAULT_BUDGET); past them new
 *   groups/rows are left out and the stage says it was truncated;
 * - at most MAX_ORIGIN event indices are kept per row (the count of events behind it is exact).
 *
 * Must never import: React, Next, Node built-ins.
 */
import { Accumulator, knownAggregate, numberText, type Value } from "./aggregate.ts"
import { evalExpr, EvalUnsupported, toRowValue } from "../formats/splunk/spl/eval-interp.ts"
import type { Expr } from "../formats/splunk/spl/eval-parser.ts"
import { rowValue, type Row, type RowFn } from "./rows.ts"
import { floorTime } from "./time.ts"

export const MAX_GROUPS = 50_000
export const MAX_HELD = 50_000
export const MAX_ORIGIN = 100

/** The events behind a row. */
export type Origin = {
  /** Event indices (0-based, log order), the first MAX_ORIGIN of them. */
  idx: number[]
  /** How many events are behind the row. */
  n: number
  first?: number
  last?: number
}

export type Flow = { row: Row; o: Origin }

export interface Sink {
  push(f: Flow): void
  finish(): void
}

/** Counters a rule's stages share: rows a filter could not decide, stages that hit a bound. */
/** What every rule of one hunt may hold together, counted down as groups and rows are made. */
export type Budget = { groups: number; rows: number }

/**
 * About 1 KB a group (its key, figures and event indices): the groups of a million-event log of
 * mostly distinct command lines stay within a few hundred MB whatever the rules.
 */
export const DEFAULT_BUDGET: Readonly<Budget> = { groups: 200_000, rows: 100_000 }

/** Counters a rule's stages share (rows a filter could not decide, stages that hit a bound), and the hunt's budget. */
export type StageStats = { undecided: number; truncated: string[]; budget: Budget }

function truncate(stats: StageStats, label: string): void {
  if (!stats.truncated.includes(label)) stats.truncated.push(label)
}

/** Takes one group from the budget, or false (and the stage marked truncated) when none is left. */
function takeGroup(stats: StageStats, size: number, label: string): boolean {
  if (size >= MAX_GROUPS || stats.budget.groups <= 0) {
    truncate(stats, label)
    return false
  }
  stats.budget.groups--
  return true
}

export function mergeOrigin(into: Origin, o: Origin): void {
  // Into an empty origin: a copy of the exact size (a list grown by push holds room for 17).
  if (into.idx.length === 0 && o.idx.length > 0 && o.idx.length <= MAX_ORIGIN && increasing(o.idx)) {
    into.idx = o.idx.slice()
  } else
    for (const i of o.idx) {
      if (into.idx.length >= MAX_ORIGIN) break
      if (into.idx[into.idx.length - 1] !== i) into.idx.push(i)
    }
  into.n += o.n
  if (o.first !== undefined && (into.first === undefined || o.first < into.first)) into.first = o.first
  if (o.last !== undefined && (into.last === undefined || o.last > into.last)) into.last = o.last
}

/** Whether indices are strictly increasing (then the merge below keeps them all). */
function increasing(idx: number[]): boolean {
  for (let k = 1; k < idx.length; k++) if (idx[k]! <= idx[k - 1]!) return false
  return true
}

const emptyOrigin = (): Origin => ({ idx: [], n: 0 })

/** One aggregate of a stats-like clause: function, argument field (absent for `count`), output name. */
export type AggSpec = { fn: string; arg?: string; output: string; expr?: Expr }

/** The options of a stats-like stage. */
export type GroupSpec = {
  aggregates: AggSpec[]
  by: string[]
  /** `tstats fillnull_value`: null BY fields read as this text. */
  fill?: string
  /** `tstats … BY _time span=`: seconds `_time` is floored to. */
  span?: number
  /** Name shown in truncation notes. */
  label: string
}

/** Why an aggregate list cannot run here, or undefined. */
export function unsupportedAggregates(aggs: AggSpec[]): string | undefined {
  for (const a of aggs) {
    if (!knownAggregate(a.fn)) return `${a.fn}() is not computed over a log yet`
    if (a.arg !== undefined && !/^[\w.:{}@-]+$/.test(a.arg))
      return `${a.fn}(${a.arg}): a computed argument is not run yet`
  }
  return undefined
}

const rowTime = (row: Row): number | undefined => {
  const t = row._time
  const n = typeof t === "string" ? Number(t) : undefined
  return n !== undefined && Number.isFinite(n) ? n : undefined
}

/** The BY values of a row as group keys (one per multivalue combination), or null when a BY field is null. */
function groupKeys(row: Row, spec: GroupSpec): Array<{ key: string; values: string[] }> | null {
  // Every BY value single: one group, its key made without the combinations below.
  const by = spec.by
  const single: string[] = []
  for (let i = 0; i < by.length; i++) {
    const b = by[i]!
    let v: Value | undefined = row[b]
    if (b === "_time" && spec.span !== undefined) break
    if (v === undefined || (Array.isArray(v) && v.length === 0)) {
      if (spec.fill === undefined) return null
      v = spec.fill
    }
    if (typeof v !== "string") break
    single.push(v)
  }
  if (single.length === by.length) return [{ key: single.join("\u0000"), values: single }]
  let combos: string[][] = [[]]
  for (const b of spec.by) {
    let v: Value | undefined = row[b]
    if (b === "_time" && spec.span !== undefined && typeof v === "string" && Number.isFinite(Number(v)))
      v = numberText(floorTime(Number(v), spec.span))
    if (v === undefined || (Array.isArray(v) && v.length === 0)) {
      if (spec.fill === undefined) return null
      v = spec.fill
    }
    const vals = typeof v === "string" ? [v] : v
    const next: string[][] = []
    for (const c of combos) for (const x of vals) if (next.length < 64) next.push([...c, x])
    combos = next
  }
  return combos.map((values) => ({ key: values.join("\u0000"), values }))
}

type Group = { values: string[]; accs: Accumulator[]; o: Origin }

function newGroup(values: string[], spec: GroupSpec): Group {
  return { values, accs: spec.aggregates.map((a) => new Accumulator(a.fn)), o: emptyOrigin() }
}

/** The value an aggregate reads from a row: its field, `eval(…)` computed, or 1 for `count`. */
function argValue(a: AggSpec, row: Row): Value | undefined {
  if (a.expr) {
    try {
      return rowValue(toRowValue(evalExpr(a.expr, row)))
    } catch (e) {
      if (e instanceof EvalUnsupported) return undefined
      throw e
    }
  }
  return a.arg === undefined ? "1" : row[a.arg]
}

function addTo(g: Group, f: Flow, spec: GroupSpec): void {
  const t = rowTime(f.row)
  const aggs = spec.aggregates
  for (let i = 0; i < aggs.length; i++) g.accs[i]!.add(argValue(aggs[i]!, f.row), t)
  mergeOrigin(g.o, f.o)
}

function figures(g: Group, spec: GroupSpec, into: Row): Row {
  spec.aggregates.forEach((a, i) => {
    const v = g.accs[i]!.result()
    if (v !== undefined) into[a.output] = v
    else delete into[a.output]
  })
  return into
}

/** `stats` and `tstats`: one row per group when the log ends. */
export class StatsStage implements Sink {
  private readonly groups = new Map<string, Group>()
  private readonly spec: GroupSpec
  private readonly next: Sink
  private readonly stats: StageStats
  constructor(spec: GroupSpec, next: Sink, stats: StageStats) {
    this.spec = spec
    this.next = next
    this.stats = stats
  }
  push(f: Flow): void {
    const keys = groupKeys(f.row, this.spec)
    if (!keys) return
    for (const { key, values } of keys) {
      let g = this.groups.get(key)
      if (!g) {
        if (!takeGroup(this.stats, this.groups.size, this.spec.label)) continue
        g = newGroup(values, this.spec)
        this.groups.set(key, g)
      }
      addTo(g, f, this.spec)
    }
  }
  finish(): void {
    for (const g of this.groups.values()) {
      const row: Row = {}
      this.spec.by.forEach((b, i) => (row[b] = g.values[i]!))
      this.next.push({ row: figures(g, this.spec, row), o: g.o })
    }
    this.groups.clear()
    this.next.finish()
  }
}

/** `eventstats`: every row, with its group's figures over the whole log added. */
export class EventStatsStage implements Sink {
  private readonly groups = new Map<string, Group>()
  private readonly held: Array<{ f: Flow; keys: string[] }> = []
  private readonly spec: GroupSpec
  private readonly next: Sink
  private readonly stats: StageStats
  constructor(spec: GroupSpec, next: Sink, stats: StageStats) {
    this.spec = spec
    this.next = next
    this.stats = stats
  }
  push(f: Flow): void {
    if (this.held.length >= MAX_HELD || this.stats.budget.rows <= 0) {
      truncate(this.stats, this.spec.label)
      return
    }
    this.stats.budget.rows--
    const keys = groupKeys(f.row, this.spec)
    const names: string[] = []
    for (const { key, values } of keys ?? []) {
      let g = this.groups.get(key)
      if (!g) {
        g = newGroup(values, this.spec)
        this.groups.set(key, g)
      }
      addTo(g, f, this.spec)
      names.push(key)
    }
    this.held.push({ f, keys: names })
  }
  finish(): void {
    for (const { f, keys } of this.held) {
      // A row in several groups (multivalue BY) takes the first group's figures, as Splunk shows one value.
      const g = keys[0] === undefined ? undefined : this.groups.get(keys[0])
      this.next.push({ row: g ? figures(g, this.spec, { ...f.row }) : f.row, o: f.o })
    }
    this.held.length = 0
    this.groups.clear()
    this.next.finish()
  }
}

/** `streamstats`: each row with the running figures of its group up to and including it. */
export class StreamStatsStage implements Sink {
  private readonly groups = new Map<string, Group>()
  private readonly spec: GroupSpec
  private readonly next: Sink
  private readonly stats: StageStats
  constructor(spec: GroupSpec, next: Sink, stats: StageStats) {
    this.spec = spec
    this.next = next
    this.stats = stats
  }
  push(f: Flow): void {
    const keys = groupKeys(f.row, this.spec)
    const first = keys?.[0]
    if (!first) {
      this.next.push(f)
      return
    }
    let g = this.groups.get(first.key)
    if (!g) {
      if (!takeGroup(this.stats, this.groups.size, this.spec.label)) {
        this.next.push(f)
        return
      }
      g = newGroup(first.values, this.spec)
      this.groups.set(first.key, g)
    }
    addTo(g, { row: f.row, o: emptyOrigin() }, this.spec)
    this.next.push({ row: figures(g, this.spec, { ...f.row }), o: f.o })
  }
  finish(): void {
    this.groups.clear()
    this.next.finish()
  }
}

/** A per-row stage (rows.ts) as a sink. */
export class StepStage implements Sink {
  private readonly step: RowFn
  private readonly next: Sink
  private readonly stats: StageStats
  constructor(step: RowFn, next: Sink, stats: StageStats) {
    this.step = step
    this.next = next
    this.stats = stats
  }
  push(f: Flow): void {
    const out = this.step(f.row)
    if (out === "unknown") {
      this.stats.undecided++
      return
    }
    for (const row of out) this.next.push(row === f.row ? f : { row, o: f.o })
  }
  finish(): void {
    this.next.finish()
  }
}

/** `bin`/`bucket`: floors a time field to its span (`as` names the output). */
export function binStep(field: string, span: number, as: string): RowFn {
  return (row) => {
    const v = row[field]
    const n = typeof v === "string" ? Number(v) : NaN
    if (!Number.isFinite(n)) return [row]
    return [{ ...row, [as]: numberText(floorTime(n, span)) }]
  }
}

/** The end of a rule's pipeline: its result rows. */
export class ResultSink implements Sink {
  readonly results: Flow[] = []
  /** Result rows past the first MAX_RESULTS are counted, not kept. */
  count = 0
  done = false
  static MAX_RESULTS = 1000
  push(f: Flow): void {
    this.count++
    if (this.results.length < ResultSink.MAX_RESULTS) this.results.push(f)
  }
  finish(): void {
    this.done = true
  }
}
