/**
 * Bundled by scripts/bench-tester.ts --browser and run inside Chromium: the same tester engine
 * the web worker runs (compileTesterRules over the lean payload rows, matchEvent), timed
 * with the page's performance.now().
 */
import { buildProcessEvents, type ProcessInput } from "../../lib/tester/event.ts"
import { matchEvent } from "../../lib/tester/match.ts"
import { compileTesterRules, type TesterRule } from "../../lib/tester/rules-data.ts"

export type BrowserCase = { label: string; input: ProcessInput }
export type BrowserRow = {
  label: string
  nearMisses: boolean
  median: number
  p95: number
  fired: number
  near: number
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? 0
}

;(globalThis as Record<string, unknown>).benchTester = (json: string, cases: BrowserCase[], runs: number) => {
  const t0 = performance.now()
  const compiled = compileTesterRules(JSON.parse(json) as TesterRule[])
  const compileMs = performance.now() - t0
  const rows: BrowserRow[] = []
  for (const c of cases) {
    const input = { built: buildProcessEvents(c.input) }
    for (const nearMisses of [false, true]) {
      let report = matchEvent(compiled, input, { nearMisses })
      for (let i = 0; i < 100; i++) report = matchEvent(compiled, input, { nearMisses }) // warm-up: JIT and caches
      // performance.now() is coarsened in pages (100 µs without cross-origin isolation): time
      // batches of BATCH events and divide, so sub-millisecond medians stay meaningful.
      const BATCH = 10
      const xs: number[] = []
      for (let i = 0; i < runs; i += BATCH) {
        const t = performance.now()
        for (let j = 0; j < BATCH; j++) report = matchEvent(compiled, input, { nearMisses })
        xs.push((performance.now() - t) / BATCH)
      }
      rows.push({
        label: c.label,
        nearMisses,
        median: quantile(xs, 0.5),
        p95: quantile(xs, 0.95),
        fired: report.counts.fired,
        near: report.counts.nearMisses,
      })
    }
  }
  return { compileMs, rows }
}
