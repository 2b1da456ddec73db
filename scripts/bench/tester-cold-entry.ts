/**
 * Bundled by scripts/prof-tester-cold.ts --browser and run inside Chromium: the tester worker's
 * cold path on the chunk texts a command line needs (parse, restore leaf ids, compile, first and
 * second evaluation), each step timed with the page's performance.now().
 */
import { buildProcessEvents, type ProcessInput } from "../../lib/tester/event.ts"
import { matchEvent } from "../../lib/tester/match.ts"
import { restoreIds } from "../../lib/tester/rules-chunks.ts"
import { compileTesterRules, type TesterRule } from "../../lib/tester/rules-data.ts"

;(globalThis as Record<string, unknown>).coldTester = (texts: string[], input: ProcessInput) => {
  const out: Array<[string, number]> = []
  let t = performance.now()
  const step = (label: string) => {
    const now = performance.now()
    out.push([label, now - t])
    t = now
  }
  const rows = texts.map((s) => JSON.parse(s) as TesterRule[])
  step("JSON.parse")
  const flat = rows.flatMap((r) => restoreIds(r))
  step("restoreIds")
  const catalog = compileTesterRules(flat)
  step("compileTesterRules")
  const built = { built: buildProcessEvents(input) }
  matchEvent(catalog, built)
  step("matchEvent first")
  matchEvent(catalog, built)
  step("matchEvent second")
  return out
}
