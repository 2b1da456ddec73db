/**
 * The multi-event stages of an SPL pipeline over a stream of rows: `stats`, `tstats … BY _time
 * span=`, `eventstats`, `streamstats` (with `by`), `bin`/`bucket span=`, and the per-row stages
 * between and after them (rows.ts), ending in the rule's result rows.
 *
 * Owns: grouping and the order of emission. `stats` and `tstats` emit their groups when the log
 * ends (in the order the groups were made), or a `_time span=` bucket's groups as soon as the log
 * is past it (the same order on a log in time order); `eventstats` holds its rows until then and adds each group's figures to them;
 * `streamstats` adds the running figures of the row's group as each row arrives (log order).
 * Every row carries its origin: the indices of the events behind it and their first/last time.
 *
 * Splunk's rules kept: a `stats`/`eventstats`/`streamstats` row whose BY field is null is
 * dropped by `stats` and passed through without figures by `eventstats`/`streamstats`; `tstats`
 * reads a null BY field as its `fillnull_value` when it has one, else drops the row; a multivalue
 * BY field puts the row in one group per value.
 *
 * Invariants (memory is bounded, not proportional to the log):
 * - every aggregating stage has its own bounds (StageLimits: MAX_GROUPS groups, MAX_HELD rows held
 *   by an `eventstats`); no stage or rule can use up another's. Past its bound a stage leaves new
 *   groups/rows out and says so (`StageStats.truncated`, with the reason);
 * - a `_time span=` stage on a log in time order finalises each bucket once the log is past it by
 *   REORDER_WINDOW seconds and lets its groups go (StatsStage), so it holds the recent buckets only;
 * - rules whose pipelines start with the same aggregation share one state of it (Fanout);
 * - at most MAX_ORIGIN event indices are kept per row (the count of events behind it is exact).
 *
 * Must never import: React, Next, Node built-ins.
 */
import { Accumulator, knownAggregate, numberText, type Value } from "./aggregate.ts"
import { evalExpr, EvalUnsupported, toRowValue } from "../formats/splunk/spl/eval-interp.ts"
import type { Expr } from "../formats/splunk/spl/eval-parser.ts"
import { rowValue, type Row, type RowFn } from "./rows.ts"
import { floorTime } from "./time.ts"

/**
 * Groups one aggregating stage may hold (its own budget: no other stage or rule can use it up).
 * A group with its figures and the event values it holds costs about 1 to 1.5 KB; a million-event
 * process log fills this in some forty broad rules (every process by host, user and command line),
 * which then hold a few hundred MB together.
 */
export const MAX_GROUPS = 5_000
/** Rows one `eventstats` stage may hold until the log ends. */
export const MAX_HELD = 5_000
export const MAX_ORIGIN = 100
/**
 * How far (seconds) a time-ordered log may step back in time before a `_time span=` bucket that
 * was already finalised would have to take a row: such rows are left out and the stage says so.
 */
export const REORDER_WINDOW = 600
/**
 * Groups a `_time span=` stage holds before it starts finalising closed buckets: below it a stage
 * keeps every group to the end of the log (any order of events is then exact).
 */
export const EVICT_AT = 1_000

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

/** What one aggregating stage may hold: each stage has its own, whatever the other rules do. */
export type StageLimits = {
  /** Groups per `stats`/`tstats`/`streamstats` stage. */
  groups: number
  /** Rows held per `eventstats` stage. */
  held: number
  /** Seconds a time-ordered log may step back (REORDER_WINDOW). */
  window: number
  /** Groups a `_time span=` stage holds before finalising closed buckets (EVICT_AT). */
  evictAt: number
}

export const DEFAULT_LIMITS: Readonly<StageLimits> = {
  groups: MAX_GROUPS,
  held: MAX_HELD,
  window: REORDER_WINDOW,
  evictAt: EVICT_AT,
}

/**
 * Counters the stages of one pipeline share: rows a filter could not decide, and why a stage's
 * answer may be incomplete (a bound it reached, rows it had to leave out), one line per stage.
 */
export type StageStats = { undecided: number; truncated: string[]; limits: StageLimits }

export function newStageStats(limits: Partial<StageLimits> = {}): StageStats {
  return { undecided: 0, truncated: [], limits: { ...DEFAULT_LIMITS, ...limits } }
}

function truncate(stats: StageStats, label: string): void {
  if (!stats.truncated.includes(label)) stats.truncated.push(label)
}

const count = (n: number) => n.toLocaleString("en-US")

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
  /**
   * `bin _time span=` before a `stats … BY _time`: the rows' `_time` is already a bucket start of
   * this many seconds (only when the rows arrive in log order: no aggregate before).
   */
  binned?: number
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

/**
 * The BY values of a row as groups (one per multivalue combination), each with its hash, or null
 * when a BY field is null.
 */
function groupKeys(row: Row, spec: GroupSpec): Array<{ hash: number; values: string[] }> | null {
  // Every BY value single: one group, made without the combinations below.
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
  if (single.length === by.length) return [{ hash: hashValues(single), values: single }]
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
  return combos.map((values) => ({ hash: hashValues(values), values }))
}

/** A 30-bit hash of BY values (FNV-1a over their characters, a separator between values): a small integer key. */
function hashValues(values: readonly string[]): number {
  let h = 0x811c9dc5
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    for (let k = 0; k < v.length; k++) h = Math.imul(h ^ v.charCodeAt(k), 0x01000193)
    h = Math.imul(h ^ 0xffff, 0x01000193)
  }
  return (h >>> 2) & 0x3fffffff
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * A stage's groups, found by the hash of their BY values and kept in the order they were made.
 * A group holds its BY values as the rows gave them (strings the event's other rows share), not a
 * joined key of its own: most of a group's memory was that key.
 */
class GroupTable {
  /** hash → the group, or the groups sharing that hash. */
  private readonly index = new Map<number, Group | Group[]>()
  private readonly order = new Set<Group>()
  get size(): number {
    return this.order.size
  }
  get(hash: number, values: readonly string[]): Group | undefined {
    const got = this.index.get(hash)
    if (got === undefined) return undefined
    if (!Array.isArray(got)) return sameValues(got.values, values) ? got : undefined
    for (const g of got) if (sameValues(g.values, values)) return g
    return undefined
  }
  add(g: Group): void {
    const got = this.index.get(g.hash)
    if (got === undefined) this.index.set(g.hash, g)
    else if (Array.isArray(got)) got.push(g)
    else this.index.set(g.hash, [got, g])
    this.order.add(g)
  }
  delete(g: Group): void {
    this.order.delete(g)
    const got = this.index.get(g.hash)
    if (got === g) this.index.delete(g.hash)
    else if (Array.isArray(got)) {
      const rest = got.filter((x) => x !== g)
      if (rest.length === 1) this.index.set(g.hash, rest[0]!)
      else this.index.set(g.hash, rest)
    }
  }
  values(): IterableIterator<Group> {
    return this.order.values()
  }
  clear(): void {
    this.index.clear()
    this.order.clear()
  }
}

/** One group: its BY values, running figures and the events behind it. */
class Group implements Origin {
  idx: number[] = []
  n = 0
  first: number | undefined = undefined
  last: number | undefined = undefined
  readonly hash: number
  readonly values: string[]
  readonly accs: Accumulator[]
  /** Start of the group's `_time span=` bucket (NaN: none). */
  readonly bucket: number
  constructor(hash: number, values: string[], spec: GroupSpec, bucket: number) {
    this.hash = hash
    this.values = values
    this.accs = spec.aggregates.map((a) => new Accumulator(a.fn))
    this.bucket = bucket
  }
}

/** A group's events as a plain Origin (what rows carry on; the group itself is let go). */
function originOf(g: Group): Origin {
  const o: Origin = { idx: g.idx, n: g.n }
  if (g.first !== undefined) o.first = g.first
  if (g.last !== undefined) o.last = g.last
  return o
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
  mergeOrigin(g, f.o)
}

function figures(g: Group, spec: GroupSpec, into: Row): Row {
  spec.aggregates.forEach((a, i) => {
    const v = g.accs[i]!.result()
    if (v !== undefined) into[a.output] = v
    else delete into[a.output]
  })
  return into
}

/** Whether a group stage's BY has `_time` bucketed by a span (tstats span=, or `bin` before a stats). */
const spanned = (spec: GroupSpec): number | undefined =>
  spec.by.includes("_time") ? (spec.span ?? spec.binned) : undefined

/**
 * `stats` and `tstats`: one row per group when the log ends, or, for a `_time span=` bucket, as
 * soon as the log has moved past it.
 *
 * Finalising buckets: rows reach such a stage in log order. Once the latest row time seen is more
 * than `window` seconds past a bucket's end, the bucket takes no more rows on a log in time order:
 * its groups are emitted (in the order they were made) and let go, so the stage holds the groups
 * of the last `span + window` seconds, not of the whole log. This starts only when the stage holds
 * `evictAt` groups; below that every group waits for the end and any order of events is exact. A
 * row that arrives later still, for a bucket already finalised, is left out and counted, and the
 * stage says so (the log is out of time order by more than the window).
 */
export class StatsStage implements Sink {
  private readonly groups = new GroupTable()
  private readonly spec: GroupSpec
  private readonly next: Sink
  private readonly stats: StageStats
  private readonly span: number | undefined
  /** Latest row time seen; buckets ending at or before `closed` have been finalised. */
  private clock = -Infinity
  private closed = -Infinity
  private nextSweep = -Infinity
  private late = 0
  private full = false
  /** Groups made and emitted before the end (figures for the report). */
  evicted = 0
  /**
   * Whether a group of these BY values can still give a result (SplPlan.admit): a group the later
   * stages would drop by its BY values alone is never made. Rows of it are counted, not kept.
   */
  admit: ((row: Row) => boolean) | undefined = undefined
  /** Rows whose group the later stages would drop (not kept). */
  dropped = 0
  /** Groups held now. */
  get size(): number {
    return this.groups.size
  }
  constructor(spec: GroupSpec, next: Sink, stats: StageStats) {
    this.spec = spec
    this.next = next
    this.stats = stats
    this.span = spanned(spec)
  }
  push(f: Flow): void {
    let bucket = NaN
    if (this.span !== undefined) {
      const t = rowTime(f.row)
      if (t !== undefined) {
        bucket = this.spec.span !== undefined ? floorTime(t, this.span) : t
        if (bucket + this.span <= this.closed) {
          this.late++
          return
        }
        if (t > this.clock) this.clock = t
      }
    }
    const keys = groupKeys(f.row, this.spec)
    if (!keys) return
    for (const { hash, values } of keys) {
      let g = this.groups.get(hash, values)
      if (!g) {
        if (this.admit) {
          const row: Row = {}
          this.spec.by.forEach((b, i) => (row[b] = values[i]!))
          if (!this.admit(row)) {
            this.dropped++
            continue
          }
        }
        if (this.groups.size >= this.stats.limits.groups) {
          this.full = true
          continue
        }
        g = new Group(hash, values, this.spec, bucket)
        this.groups.add(g)
      }
      addTo(g, f, this.spec)
    }
    if (this.span !== undefined && this.groups.size >= this.stats.limits.evictAt && this.clock >= this.nextSweep)
      this.sweep()
  }
  /** Emits the groups of every bucket the log has moved past (see the class comment). */
  private sweep(): void {
    const span = this.span!
    const cut = this.clock - this.stats.limits.window
    let oldest = Infinity
    for (const g of this.groups.values()) {
      if (g.bucket + span <= cut) {
        this.groups.delete(g)
        this.evicted++
        this.emit(g)
      } else if (g.bucket < oldest) oldest = g.bucket
    }
    if (cut > this.closed) this.closed = cut
    // The next sweep when the oldest bucket left can close (at least a span on, so each group is visited a bounded number of times).
    this.nextSweep = Math.max(
      this.clock + span,
      Number.isFinite(oldest) ? oldest + span + this.stats.limits.window : -Infinity,
    )
  }
  private emit(g: Group): void {
    const row: Row = {}
    const values = g.values
    this.spec.by.forEach((b, i) => (row[b] = values[i]!))
    this.next.push({ row: figures(g, this.spec, row), o: originOf(g) })
  }
  finish(): void {
    for (const g of this.groups.values()) this.emit(g)
    this.groups.clear()
    const label = this.spec.label
    if (this.full)
      truncate(this.stats, `${label}: more than ${count(this.stats.limits.groups)} groups; the others were left out`)
    if (this.late)
      truncate(
        this.stats,
        `${label}: ${count(this.late)} row(s) came after their ${this.span}-second bucket was finalised (the log steps back in time by more than ${this.stats.limits.window} s)`,
      )
    this.next.finish()
  }
}

/** `eventstats`: every row, with its group's figures over the whole log added. */
export class EventStatsStage implements Sink {
  private readonly groups = new GroupTable()
  private readonly held: Array<{ f: Flow; g: Group | undefined }> = []
  private readonly spec: GroupSpec
  private readonly next: Sink
  private readonly stats: StageStats
  private full = false
  constructor(spec: GroupSpec, next: Sink, stats: StageStats) {
    this.spec = spec
    this.next = next
    this.stats = stats
  }
  push(f: Flow): void {
    if (this.held.length >= this.stats.limits.held) {
      this.full = true
      return
    }
    const keys = groupKeys(f.row, this.spec)
    let firstGroup: Group | undefined
    for (const { hash, values } of keys ?? []) {
      let g = this.groups.get(hash, values)
      if (!g) {
        g = new Group(hash, values, this.spec, NaN)
        this.groups.add(g)
      }
      addTo(g, f, this.spec)
      firstGroup ??= g
    }
    // A row in several groups (multivalue BY) takes the first group's figures, as Splunk shows one value.
    this.held.push({ f, g: firstGroup })
  }
  finish(): void {
    for (const { f, g } of this.held) {
      this.next.push({ row: g ? figures(g, this.spec, { ...f.row }) : f.row, o: f.o })
    }
    this.held.length = 0
    this.groups.clear()
    if (this.full)
      truncate(
        this.stats,
        `${this.spec.label}: more than ${count(this.stats.limits.held)} rows held; the others were left out`,
      )
    this.next.finish()
  }
}

/** `streamstats`: each row with the running figures of its group up to and including it. */
export class StreamStatsStage implements Sink {
  private readonly groups = new GroupTable()
  private readonly spec: GroupSpec
  private readonly next: Sink
  private readonly stats: StageStats
  private full = false
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
    let g = this.groups.get(first.hash, first.values)
    if (!g) {
      if (this.groups.size >= this.stats.limits.groups) {
        this.full = true
        this.next.push(f)
        return
      }
      g = new Group(first.hash, first.values, this.spec, NaN)
      this.groups.add(g)
    }
    addTo(g, { row: f.row, o: emptyOrigin() }, this.spec)
    this.next.push({ row: figures(g, this.spec, { ...f.row }), o: f.o })
  }
  finish(): void {
    this.groups.clear()
    if (this.full)
      truncate(
        this.stats,
        `${this.spec.label}: more than ${count(this.stats.limits.groups)} groups; rows of the others passed without figures`,
      )
    this.next.finish()
  }
}

/**
 * One stage state feeding several rules: rules whose pipelines start with the same aggregation
 * (same filter, data model, BY fields, span and figures) share it, and each rule's later stages
 * take every row it emits. A row is never changed by the stages it goes to.
 */
export class Fanout implements Sink {
  readonly sinks: Sink[] = []
  push(f: Flow): void {
    for (const s of this.sinks) s.push(f)
  }
  finish(): void {
    for (const s of this.sinks) s.finish()
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
