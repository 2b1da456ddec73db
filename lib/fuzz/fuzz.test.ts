import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { mutate, rng } from "./mutate.ts"
import { BUDGET_MS, fuzzTarget, retime } from "./run.ts"
import { allTargets, fuzzContext, type FuzzTarget } from "./targets.ts"

/** A clock the targets below advance instead of spinning, so the times they are judged by are exact. */
function virtualClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 0
  return { now: () => t, advance: (ms) => void (t += ms) }
}

/** A short seeded run for CI; `npm run fuzz -- --n 100000` is the long one. */
const N = 1_500
const ctx = fuzzContext(loadCatalog({ roots: ["content"] }))

describe("mutation", () => {
  it("is deterministic for a seed", () => {
    const a = rng(42)
    const b = rng(42)
    const seeds = ctx.searches.slice(0, 5)
    for (let i = 0; i < 50; i++) expect(mutate(a, seeds[i % 5] ?? "", seeds)).toBe(mutate(b, seeds[i % 5] ?? "", seeds))
  })
})

describe("short fuzz run", () => {
  it("has seeds for every target", () => {
    expect(ctx.searches.length).toBeGreaterThan(40)
    expect(ctx.events.some((e) => e.startsWith("<Event"))).toBe(true)
  })

  it.each(allTargets(ctx).map((t) => [t.name, t] as const))(
    `%s: ${N} inputs, no exception, none over ${BUDGET_MS} ms`,
    async (_, target) => {
      const report = fuzzTarget(target, { n: N, seed: 8, warmup: 200 })
      expect(report.inputs).toBe(N)
      // Slow findings are timed again, spaced out, so a busy shared machine does not fail the run.
      const confirmed = []
      for (const f of report.findings)
        if (f.kind === "exception" || (await retime(target, f)) > BUDGET_MS) confirmed.push(f)
      expect(confirmed.map((f) => `${f.kind}: ${f.detail} on ${JSON.stringify(f.input.slice(0, 200))}`)).toEqual([])
    },
    60_000,
  )

  it("warms up on inputs of its own: the timed inputs of a seed are the same with or without", () => {
    const seen: string[] = []
    const record: FuzzTarget = {
      name: "record",
      seeds: ctx.searches.slice(0, 20),
      run: (input) => void seen.push(input),
    }
    fuzzTarget(record, { n: 50, seed: 3, warmup: 0 })
    const cold = seen.splice(0)
    fuzzTarget(record, { n: 50, seed: 3, warmup: 30 })
    expect(seen).toHaveLength(80)
    expect(seen.slice(30)).toEqual(cold)
    expect(seen.slice(0, 30)).not.toEqual(cold.slice(0, 30))
  })

  it("reports an exception and a slow input as findings", () => {
    const clock = virtualClock()
    const bad: FuzzTarget = {
      name: "bad",
      seeds: ["x"],
      run: (input) => {
        if (input.length % 2 === 0) throw new Error(`even input ${input.length}`)
        clock.advance(BUDGET_MS + 5)
      },
    }
    const report = fuzzTarget(bad, { n: 20, seed: 1, warmup: 0, clock: clock.now })
    expect(report.exceptions + report.slow).toBe(20)
    expect(report.findings.some((f) => f.kind === "exception")).toBe(true)
    expect(report.findings.some((f) => f.kind === "slow")).toBe(true)
  })

  it("an input slow only during a busy stretch of the run is a spike, not a finding", () => {
    let calls = 0
    const clock = virtualClock()
    const bursty: FuzzTarget = {
      name: "bursty",
      seeds: ["x"],
      run: () => {
        // Calls 5-7: input #5's first run and its two immediate re-timings.
        const busy = calls >= 5 && calls <= 7
        calls++
        if (!busy) return
        clock.advance(BUDGET_MS + 5)
      },
    }
    const report = fuzzTarget(bursty, { n: 20, seed: 1, warmup: 0, clock: clock.now })
    expect(calls).toBe(20 + 2 + 3)
    expect(report.slow).toBe(0)
    expect(report.spikes).toBe(1)
    expect(report.findings).toEqual([])
    expect(report.maxMs).toBeLessThan(BUDGET_MS)
  })

  it("keeps the slowest inputs, slowest first, under budget or not, without the ones that threw", () => {
    const lengths: number[] = []
    const clock = virtualClock()
    const timed: FuzzTarget = {
      name: "timed",
      seeds: ["seed"],
      run: (input) => {
        lengths.push(input.length)
        if (input.length % 5 === 0) throw new Error("multiple of five")
        // Longer is slower: 2 ms for 100 characters, 18 ms for 8,000.
        clock.advance(Math.sqrt(input.length) / 5)
      },
    }
    const report = fuzzTarget(timed, { n: 60, seed: 4, warmup: 0, keep: 5, clock: clock.now })
    expect(report.slowest).toHaveLength(5)
    const ms = report.slowest.map((f) => f.ms)
    expect(ms).toEqual([...ms].sort((a, b) => b - a))
    expect(report.slowest.every((f) => f.input.length % 5 !== 0)).toBe(true)
    // Kept for being slow, which here means long: each is longer than the median input.
    const median = [...lengths].sort((a, b) => a - b)[lengths.length >> 1] ?? 0
    expect(new Set(lengths).size).toBeGreaterThan(10)
    for (const f of report.slowest) expect(f.input.length).toBeGreaterThan(median)
  })
})
