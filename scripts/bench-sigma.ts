/**
 * `npx tsx scripts/bench-sigma.ts`: prints figures, asserts nothing. Reads the SigmaHQ corpus
 * from ../shared/corpora/sigma (or SIGMA_CORPUS) and reports:
 *   - read + YAML + validation + compile time of every rule,
 *   - median and p95 time to evaluate one process-creation event against every rule, with the
 *     logsource gate (what the tester does) and without it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

import { compile, evaluate, EventView } from "../lib/predicate/index.ts"
import { eventLogsources, logsourceAdmits, processCreationEvent, readSigmaText } from "../lib/formats/sigma/index.ts"

const CORPUS = process.env.SIGMA_CORPUS ?? "../shared/corpora/sigma"
if (!existsSync(CORPUS)) {
  console.log(`bench-sigma: ${CORPUS} is absent; nothing to measure`)
  process.exit(0)
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const full = join(dir, n)
    return statSync(full).isDirectory() ? files(full) : n.endsWith(".yml") ? [full] : []
  })

const t0 = performance.now()
const rules = readdirSync(CORPUS)
  .filter((n) => n.startsWith("rules"))
  .flatMap((f) => files(join(CORPUS, f)))
  .flatMap((file) => readSigmaText(file, readFileSync(file, "utf8")).rules.map((r) => r.rule))
const loadMs = performance.now() - t0
const t1 = performance.now()
const compiled = rules
  .filter((r) => r.analysis.evaluable)
  .map((r) => ({ logsource: r.analysis.logsource, c: compile(r.analysis.predicate) }))
const compileMs = performance.now() - t1

const event = processCreationEvent({
  cmd: "wmic /node:10.0.0.5 process call create calc.exe",
  parent: "cmd.exe /c run.bat",
  user: "CORP\\bob",
  host: "ws-042",
})
const sources = eventLogsources(event)

function run(gated: boolean): { times: number[]; fired: number } {
  const times: number[] = []
  let fired = 0
  for (let i = 0; i < 200; i++) {
    const start = performance.now()
    const view = new EventView(event)
    fired = 0
    for (const r of compiled) {
      if (gated && !logsourceAdmits(r.logsource, sources)) continue
      if (evaluate(r.c, view, { trace: false }).matched === true) fired++
    }
    times.push(performance.now() - start)
  }
  return { times: times.sort((a, b) => a - b), fired }
}

const pct = (xs: number[], p: number) => (xs[Math.floor(xs.length * p)] ?? 0).toFixed(3)
const gated = run(true)
const all = run(false)
console.log(
  `sigma rules: ${rules.length} loaded in ${loadMs.toFixed(0)} ms; ${compiled.length} evaluable compiled in ${compileMs.toFixed(0)} ms`,
)
console.log(
  `one event, logsource gate: median ${pct(gated.times, 0.5)} ms, p95 ${pct(gated.times, 0.95)} ms, ${gated.fired} rules fire`,
)
console.log(
  `one event, no gate:        median ${pct(all.times, 0.5)} ms, p95 ${pct(all.times, 0.95)} ms, ${all.fired} rules fire`,
)
