/**
 * Splunk's statistical functions over many rows, as running state: `count`, `count(x)`, `dc`,
 * `values`, `list`, `min`, `max`, `earliest`, `latest`, `first`, `last`, `earliest_time`,
 * `latest_time`, `sum`, `avg`/`mean`, `stdev`, `stdevp`, `var`, `varp`, `range`, `mode`,
 * `median` and `pN`/`percN`; what `stats`, `eventstats`, `streamstats` and `tstats` compute.
 *
 * Owns: the per-function semantics. Values are Splunk's: text, or a list for a multivalue field;
 * a missing field is null and adds nothing; every value of a multivalue field counts.
 * - `count` counts rows, `count(x)` the values of x; `dc(x)` distinct values.
 * - `values(x)` distinct values in lexicographic order; `list(x)` values in arrival order (first 100).
 * - `min`/`max` compare numerically when both values are numbers, numbers sort before text, text
 *   lexicographically; the value is returned as written.
 * - `earliest`/`latest` are the value at the smallest/largest `_time` (ties: the first seen for
 *   `earliest`, the last seen for `latest`); `first`/`last` follow Splunk's newest-first search
 *   order, so `first` is the newest value and `last` the oldest, like `latest`/`earliest`.
 * - `sum`, `avg`, `stdev`, `var`, `range`, `median`, `pN` read numeric values only (others are
 *   ignored; none → null). `stdev`/`var` are the sample statistics (n − 1), `stdevp`/`varp`
 *   the population ones; over one value they are 0, as Splunk prints them.
 *
 * Invariants: memory per group is bounded: distinct-value sets stop growing at MAX_DISTINCT
 * (`dc` past it is a lower bound and `truncated` is set), percentile samples at MAX_SAMPLES.
 * Never throws on odd values.
 *
 * Must never import: React, Next, Node built-ins.
 */

/** A Splunk field value: text or a multivalue list. */
export type Value = string | string[]

export const MAX_DISTINCT = 1_000
export const MAX_SAMPLES = 10_000
const LIST_LIMIT = 100

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/** The number a value reads as, or undefined for text. */
export function asNumber(v: string): number | undefined {
  const s = v.trim()
  return NUMERIC.test(s) ? Number(s) : undefined
}

/** Splunk's text for a computed number: integers without a fraction, others with every digit JavaScript prints. */
export function numberText(n: number): string {
  return String(n)
}

/** Splunk's ordering for min/max/sort: numbers numerically, before text; text lexicographically. */
export function compareValues(a: string, b: string): number {
  const na = asNumber(a)
  const nb = asNumber(b)
  if (na !== undefined && nb !== undefined) return na - nb
  if (na !== undefined) return -1
  if (nb !== undefined) return 1
  return a < b ? -1 : a > b ? 1 : 0
}

export type AggFn =
  | "count"
  | "dc"
  | "distinct_count"
  | "values"
  | "list"
  | "min"
  | "max"
  | "earliest"
  | "latest"
  | "first"
  | "last"
  | "earliest_time"
  | "latest_time"
  | "sum"
  | "avg"
  | "mean"
  | "stdev"
  | "stdevp"
  | "var"
  | "varp"
  | "range"
  | "mode"
  | "median"

const FNS = new Set<string>([
  "count",
  "c",
  "dc",
  "distinct_count",
  "values",
  "list",
  "min",
  "max",
  "earliest",
  "latest",
  "first",
  "last",
  "earliest_time",
  "latest_time",
  "sum",
  "avg",
  "mean",
  "stdev",
  "stdevp",
  "var",
  "varp",
  "range",
  "mode",
  "median",
])

/** The percentile of `p50`, `perc95`, `exactperc99`, `upperperc90`, or undefined. */
function percentileOf(fn: string): number | undefined {
  const m = /^(?:p|perc|exactperc|upperperc)(\d+(?:\.\d+)?)$/.exec(fn)
  return m ? Number(m[1]) : undefined
}

/** Whether this engine computes the function. */
export function knownAggregate(fn: string): boolean {
  return FNS.has(fn) || percentileOf(fn) !== undefined
}

const ONE: string[] = [""]

type Extra = {
  sum: number
  mean: number
  m2: number
  counts?: Map<string, number> | undefined
  list?: string[] | undefined
  samples?: number[] | undefined
  minTime?: number | undefined
  maxTime?: number | undefined
}

/** Running state of one function over one group of rows. */
export class Accumulator {
  readonly fn: string
  private n = 0
  private best: string | undefined
  /** `asNumber(best)` for min/max. */
  private bestNum: number | undefined
  private bestTime = 0
  private distinct: Set<string> | undefined
  /**
   * The state only some functions keep (sums and variance, mode's counts, list, percentile
   * samples, time bounds), made when first written: a group's `count`, `min(_time)` and
   * `max(_time)` carry none of it, and a hunt holds hundreds of thousands of groups.
   */
  private x: Extra | undefined
  private get sum(): number {
    return this.x?.sum ?? 0
  }
  private set sum(v: number) {
    this.extra().sum = v
  }
  /** Welford's running mean and squared deviations, for a stable variance. */
  private get mean(): number {
    return this.x?.mean ?? 0
  }
  private set mean(v: number) {
    this.extra().mean = v
  }
  private get m2(): number {
    return this.x?.m2 ?? 0
  }
  private set m2(v: number) {
    this.extra().m2 = v
  }
  private get counts(): Map<string, number> | undefined {
    return this.x?.counts
  }
  private set counts(v: Map<string, number> | undefined) {
    this.extra().counts = v
  }
  private get list(): string[] | undefined {
    return this.x?.list
  }
  private set list(v: string[] | undefined) {
    this.extra().list = v
  }
  private get samples(): number[] | undefined {
    return this.x?.samples
  }
  private set samples(v: number[] | undefined) {
    this.extra().samples = v
  }
  private get minTime(): number | undefined {
    return this.x?.minTime
  }
  private set minTime(v: number | undefined) {
    this.extra().minTime = v
  }
  private get maxTime(): number | undefined {
    return this.x?.maxTime
  }
  private set maxTime(v: number | undefined) {
    this.extra().maxTime = v
  }
  private extra(): Extra {
    return (this.x ??= { sum: 0, mean: 0, m2: 0 })
  }
  truncated = false

  constructor(fn: string) {
    this.fn = fn === "c" ? "count" : fn === "distinct_count" ? "dc" : fn === "mean" ? "avg" : fn
  }

  /** One row's value of the argument (undefined: null) at row time `time`; `count` without an argument passes 1 per row. */
  add(value: Value | undefined, time: number | undefined): void {
    const fn = this.fn
    if (fn === "earliest_time" || fn === "latest_time") {
      if (value === undefined || time === undefined) return
      if (this.minTime === undefined || time < this.minTime) this.minTime = time
      if (this.maxTime === undefined || time > this.maxTime) this.maxTime = time
      return
    }
    if (value === undefined) return
    let vals: readonly string[]
    if (typeof value === "string") {
      // One scratch list for a single value: `add` never keeps the list, only its values.
      ONE[0] = value
      vals = ONE
    } else vals = value
    if (vals.length === 0) return
    switch (fn) {
      case "count":
        this.n += vals.length
        return
      case "dc":
      case "values":
        this.distinct ??= new Set()
        for (const v of vals) {
          if (this.distinct.size >= MAX_DISTINCT && !this.distinct.has(v)) {
            this.truncated = true
            continue
          }
          this.distinct.add(v)
        }
        return
      case "mode":
        this.counts ??= new Map()
        for (const v of vals) {
          if (this.counts.size >= MAX_DISTINCT && !this.counts.has(v)) {
            this.truncated = true
            continue
          }
          this.counts.set(v, (this.counts.get(v) ?? 0) + 1)
        }
        return
      case "list":
        this.list ??= []
        for (const v of vals) if (this.list.length < LIST_LIMIT) this.list.push(v)
        return
      case "min":
      case "max":
        for (const v of vals) {
          // compareValues(v, best), with best's number read once when it is set.
          const x = asNumber(v)
          if (this.best === undefined) {
            this.best = v
            this.bestNum = x
            continue
          }
          const b = this.bestNum
          const best = this.best
          const c =
            x !== undefined && b !== undefined
              ? x - b
              : x !== undefined
                ? -1
                : b !== undefined
                  ? 1
                  : v < best
                    ? -1
                    : v > best
                      ? 1
                      : 0
          if (fn === "min" ? c < 0 : c > 0) {
            this.best = v
            this.bestNum = x
          }
        }
        return
      case "earliest":
      case "last":
      case "latest":
      case "first": {
        const t = time ?? 0
        const v = vals.length === 1 ? (vals[0] as string) : vals.join("\n")
        const older = fn === "earliest" || fn === "last"
        if (this.best === undefined || (older ? t < this.bestTime : t >= this.bestTime)) {
          this.best = v
          this.bestTime = t
        }
        return
      }
    }
    for (const v of vals) {
      const x = asNumber(v)
      if (x === undefined) continue
      this.n++
      this.sum += x
      const d = x - this.mean
      this.mean += d / this.n
      this.m2 += d * (x - this.mean)
      if (fn === "range") {
        const t = String(x)
        if (this.best === undefined || x < Number(this.best)) this.best = t
        if (this.minTime === undefined || x > this.minTime) this.minTime = x
      }
      if (fn === "median" || percentileOf(fn) !== undefined) {
        this.samples ??= []
        if (this.samples.length < MAX_SAMPLES) this.samples.push(x)
        else this.truncated = true
      }
    }
  }

  /** The function's value now (undefined: null). */
  result(): Value | undefined {
    const fn = this.fn
    switch (fn) {
      case "count":
        return String(this.n)
      case "dc":
        return String(this.distinct?.size ?? 0)
      case "values": {
        if (!this.distinct || this.distinct.size === 0) return undefined
        const out = [...this.distinct].sort()
        return out.length === 1 ? out[0] : out
      }
      case "list":
        return !this.list || this.list.length === 0 ? undefined : this.list.length === 1 ? this.list[0] : [...this.list]
      case "mode": {
        let best: string | undefined
        let n = 0
        for (const [v, c] of this.counts ?? []) if (c > n) [best, n] = [v, c]
        return best
      }
      case "min":
      case "max":
      case "earliest":
      case "latest":
      case "first":
      case "last":
        return this.best === undefined ? undefined : this.best.includes("\n") ? this.best.split("\n") : this.best
      case "earliest_time":
        return this.minTime === undefined ? undefined : numberText(this.minTime)
      case "latest_time":
        return this.maxTime === undefined ? undefined : numberText(this.maxTime)
    }
    if (this.n === 0) return undefined
    switch (fn) {
      case "sum":
        return numberText(this.sum)
      case "avg":
        return numberText(this.mean)
      case "var":
        return numberText(this.n < 2 ? 0 : this.m2 / (this.n - 1))
      case "varp":
        return numberText(this.m2 / this.n)
      case "stdev":
        return numberText(this.n < 2 ? 0 : Math.sqrt(this.m2 / (this.n - 1)))
      case "stdevp":
        return numberText(Math.sqrt(this.m2 / this.n))
      case "range":
        return numberText((this.minTime ?? 0) - Number(this.best))
    }
    const p = fn === "median" ? 50 : percentileOf(fn)
    if (p === undefined || !this.samples) return undefined
    const sorted = [...this.samples].sort((a, b) => a - b)
    // Nearest rank, as Splunk's perc for small sets: the value below which p% of the values fall.
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.round((p / 100) * (sorted.length - 1))))
    return numberText(sorted[rank] as number)
  }
}
