/**
 * The fuzz loop: feed each target `n` seeded mutations, time every input, collect exceptions and
 * inputs over the time budget, and summarise per target.
 *
 * Owns: the budget rule and the finding records. An input over budget is timed twice more and
 * its fastest run kept, so a garbage collection or a busy machine is not reported as a slow input.
 * Before those two runs the heap is collected when the process allows it (`node --expose-gc`, as
 * `npm run fuzz` runs): 100,000 inputs leave garbage behind (the heap grew to ~700 MB), and a
 * collection of it that lands in the re-timing is the previous inputs' cost, not this one's.
 * An input still over budget is timed three times more once the target's run is over, minutes
 * later: on this 2-core machine another process's busy second slowed every input of a stretch
 * 3-4× (the 7 tester inputs over budget in one 100,000 run sat between #17,923 and #18,569 and
 * took 11-24 ms each when run again), and three back-to-back runs all land in such a second.
 * And each target first runs `warmup` untimed inputs (from its own random stream, so the timed
 * inputs of a seed stay the same): without them the first thousand inputs ran on code V8 had not
 * optimised yet, and an input's first-ever run of a path is the JIT's cost, not the input's.
 * Invariants: deterministic inputs for a given seed (timings aside); findings keep the input so
 * they can be replayed.
 * Never imports: React, Next, Node built-ins.
 */
import { mutate, pick, rng } from "./mutate.ts"
import type { FuzzTarget } from "./targets.ts"

/** Longest any single input may take. */
export const BUDGET_MS = 50

/** Over-budget inputs re-timed at the end of a run; past this many the target is plainly slow. */
const LATE_MAX = 1_000

export interface Finding {
  kind: "exception" | "slow"
  /** Input index within the target's run (replay: same seed, same index). */
  index: number
  input: string
  /** Seed of the target's own random choices for this input (events built, options picked). */
  runSeed: number
  /** The exception's first line, or the fastest of its timings. */
  detail: string
  ms: number
}

export interface TargetReport {
  target: string
  inputs: number
  exceptions: number
  /** Inputs over budget even at their fastest of six runs (three at once, three at the end of the run). */
  slow: number
  /** Inputs over budget on their first run but not when timed again (JIT warm-up, garbage collection, a busy machine). */
  spikes: number
  /** Slowest input, after re-timing (ms). */
  maxMs: number
  p50Ms: number
  p99Ms: number
  totalMs: number
  /** Distinct findings (exceptions de-duplicated by message), at most `keep`. */
  findings: Finding[]
  /**
   * The slowest inputs that ran without exception, slowest first (at most `keep`), over budget or
   * not: an input at 45 ms passes today and is the next one to study (`npm run fuzz -- --replay`).
   */
  slowest: Finding[]
}

export interface FuzzOptions {
  n: number
  seed: number
  budgetMs?: number
  /** Findings kept per target (default 20). */
  keep?: number
  /** Untimed mutated inputs run first, so that V8 has optimised the target (default 1,000). */
  warmup?: number
  onProgress?: (target: string, done: number) => void
  /** Milliseconds for timing inputs (default `performance.now`); tests pass a clock they advance. */
  clock?: () => number
}

export function fuzzTarget(target: FuzzTarget, options: FuzzOptions): TargetReport {
  const budget = options.budgetMs ?? BUDGET_MS
  const now = options.clock ?? (() => performance.now())
  const keep = options.keep ?? 20
  const r = rng(options.seed)
  const times = new Float64Array(options.n)
  const findings: Finding[] = []
  const seen = new Set<string>()
  let exceptions = 0
  let slow = 0
  let spikes = 0
  // Kept sorted slowest first; an input enters only when slower than the last kept.
  const slowest: Finding[] = []
  const keepSlowest = (f: Finding, was?: number) => {
    if (was !== undefined) {
      const old = slowest.findIndex((s) => s.index === f.index && s.ms === was)
      if (old >= 0) slowest.splice(old, 1)
    }
    if (slowest.length >= keep && f.ms <= (slowest.at(-1)?.ms ?? 0)) return
    const at = slowest.findIndex((s) => s.ms < f.ms)
    slowest.splice(at < 0 ? slowest.length : at, 0, f)
    if (slowest.length > keep) slowest.pop()
  }
  // Inputs over budget after their immediate re-timing, timed again at the end.
  const late: Finding[] = []
  const warm = rng(options.seed ^ 0x5eed)
  for (let i = 0; i < (options.warmup ?? 1_000); i++) {
    try {
      target.run(mutate(warm, pick(warm, target.seeds), target.seeds), rng(i))
    } catch {
      // Exceptions are counted in the timed run, which meets the same kinds of input.
    }
  }
  const started = now()
  const timeOnce = (input: string, seed: number): { ms: number; error?: unknown } => {
    const t0 = now()
    try {
      target.run(input, rng(seed))
      return { ms: now() - t0 }
    } catch (error) {
      return { ms: now() - t0, error }
    }
  }
  for (let i = 0; i < options.n; i++) {
    const input = mutate(r, pick(r, target.seeds), target.seeds)
    const runSeed = Math.floor(r() * 2 ** 31)
    const first = timeOnce(input, runSeed)
    let ms = first.ms
    const error = first.error
    if (error === undefined && ms > budget) {
      collectGarbage()
      ms = Math.min(ms, timeOnce(input, runSeed).ms, timeOnce(input, runSeed).ms)
      if (ms <= budget) spikes++
    }
    times[i] = ms
    if (error !== undefined) {
      exceptions++
      const detail = error instanceof Error ? `${error.name}: ${error.message.split("\n")[0]}` : String(error)
      if (!seen.has(detail) && findings.length < keep) {
        seen.add(detail)
        findings.push({ kind: "exception", index: i, input, runSeed, detail, ms })
      }
    } else if (ms > budget && late.length < LATE_MAX) {
      late.push({ kind: "slow", index: i, input, runSeed, detail: "", ms })
    } else if (ms > budget) {
      slow++
      if (findings.length < keep)
        findings.push({ kind: "slow", index: i, input, runSeed, detail: `${ms.toFixed(1)} ms`, ms })
    }
    if (error === undefined) keepSlowest({ kind: "slow", index: i, input, runSeed, detail: `${ms.toFixed(1)} ms`, ms })
    if (options.onProgress && (i + 1) % 10_000 === 0) options.onProgress(target.name, i + 1)
  }
  // The late re-timing (see the header): slow only if slow now too, from a collected heap each
  // (a major collection that lands in an input's run is the earlier inputs' garbage).
  for (const f of late) {
    collectGarbage()
    const ms = Math.min(
      f.ms,
      timeOnce(f.input, f.runSeed).ms,
      timeOnce(f.input, f.runSeed).ms,
      timeOnce(f.input, f.runSeed).ms,
    )
    times[f.index] = ms
    const found = { ...f, detail: `${ms.toFixed(1)} ms`, ms }
    keepSlowest(found, f.ms)
    if (ms <= budget) {
      spikes++
      continue
    }
    slow++
    if (findings.length < keep) findings.push(found)
  }
  findings.sort((a, b) => a.index - b.index)
  const sorted = Array.from(times).sort((a, b) => a - b)
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
  return {
    target: target.name,
    inputs: options.n,
    exceptions,
    slow,
    spikes,
    maxMs: round(sorted.at(-1) ?? 0),
    p50Ms: round(q(0.5)),
    p99Ms: round(q(0.99)),
    totalMs: Math.round(now() - started),
    findings,
    slowest,
  }
}

/**
 * The fastest of `times` more runs of a slow finding, spaced out: on a machine shared with other
 * jobs three back-to-back runs can all land in one busy second.
 */
export async function retime(target: FuzzTarget, finding: Finding, times = 5): Promise<number> {
  let best = finding.ms
  for (let i = 0; i < times; i++) {
    await new Promise((done) => setTimeout(done, 50))
    const t0 = performance.now()
    target.run(finding.input, rng(finding.runSeed))
    best = Math.min(best, performance.now() - t0)
  }
  return best
}

const round = (ms: number) => Math.round(ms * 100) / 100

/** A full collection when the process exposes one (`--expose-gc`); nothing otherwise. */
export function collectGarbage() {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
}

/** A fixed-width table of the reports, one row per target. */
export function formatReports(reports: TargetReport[]): string {
  const head = [
    "target",
    "inputs",
    "exceptions",
    `over ${BUDGET_MS} ms`,
    "first-run spikes",
    "max ms",
    "p50 ms",
    "p99 ms",
    "total s",
  ]
  const rows = reports.map((r) => [
    r.target,
    String(r.inputs),
    String(r.exceptions),
    String(r.slow),
    String(r.spikes),
    r.maxMs.toFixed(2),
    r.p50Ms.toFixed(2),
    r.p99Ms.toFixed(2),
    (r.totalMs / 1000).toFixed(1),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`
  return [line(head), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n")
}
