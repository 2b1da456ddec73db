/**
 * Bundled by scripts/bench-tester.ts --browser and run inside Chromium: what the web worker does
 * for a command line (the chunk files read back with restoreIds, the add-on table and lookup
 * tables installed, compileTesterRules, matchEvent), timed with the page's performance.now().
 */
import { installAddOnTable, type AddOnTable } from "../../lib/events/addon.ts"
import { buildProcessEvents, type ProcessInput } from "../../lib/tester/event.ts"
import { matchEvent } from "../../lib/tester/match.ts"
import { restoreIds } from "../../lib/tester/rules-chunks.ts"
import { compileTesterRules, type TesterRule } from "../../lib/tester/rules-data.ts"
import { addTables } from "../../lib/tester/tables.ts"

/** The command-line chunks' texts, the add-on field table and the lookup tables by name. */
export type BrowserPayload = { chunks: string[]; addOn: AddOnTable; tables: Record<string, unknown> }

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

;(globalThis as Record<string, unknown>).benchTester = (
  payload: BrowserPayload,
  cases: BrowserCase[],
  runs: number,
) => {
  installAddOnTable(payload.addOn)
  addTables(payload.tables)
  const t0 = performance.now()
  const compiled = compileTesterRules(payload.chunks.flatMap((text) => restoreIds(JSON.parse(text) as TesterRule[])))
  const compileMs = performance.now() - t0 // JSON.parse and restoreIds included
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
