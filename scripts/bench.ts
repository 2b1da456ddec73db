/**
 * `npm run bench`: prints figures, asserts nothing. Reads the real corpus from ../shared/corpora
 * (or CATALOG_CONTENT) and reports:
 *   - catalog load (read + YAML + schema + SPL analysis) time,
 *   - SPL parse + compile time of every rule,
 *   - median time to evaluate one process-creation event against every evaluable rule.
 */
import { existsSync } from "node:fs"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { EventView } from "../lib/predicate/index.ts"
import { analyzeSpl, compileRule, macroMap, matchRule } from "../lib/spl/index.ts"

const CORPUS = process.env.CATALOG_CONTENT ?? "../shared/corpora/security_content"
if (!existsSync(CORPUS.split(",")[0] ?? "")) {
  console.log(`bench: ${CORPUS} is absent; nothing to measure`)
  process.exit(0)
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? 0
}

const t0 = performance.now()
const catalog = loadCatalog({ roots: CORPUS.split(",") })
const loadMs = performance.now() - t0

const macros = macroMap(catalog.macros.map((m) => ({ name: m.name, arguments: m.arguments, definition: m.definition })))
const splunk = catalog.detections.filter((d) => d.format === "splunk")
const parseRuns: number[] = []
let compiled: ReturnType<typeof compileRule>[] = []
for (let run = 0; run < 5; run++) {
  const t = performance.now()
  const analyses = splunk.map((d) => analyzeSpl(d.search, macros))
  compiled = analyses.map((a) => compileRule(a))
  parseRuns.push(performance.now() - t)
}
const evaluable = compiled.filter((r) => r.analysis.evaluability.evaluable)

const event = {
  process: 'wmic /node:10.1.2.3 process call create "cmd.exe /c whoami"',
  process_name: "wmic.exe",
  original_file_name: "wmic.exe",
  process_path: "C:\\Windows\\System32\\wbem\\WMIC.exe",
  parent_process_name: "cmd.exe",
  parent_process: "cmd.exe",
  user: "CORP\\alice",
  dest: "ws-042",
  EventCode: "1",
  CommandLine: 'wmic /node:10.1.2.3 process call create "cmd.exe /c whoami"',
  Image: "C:\\Windows\\System32\\wbem\\WMIC.exe",
}
const evalRuns: number[] = []
let fired = 0
for (let run = 0; run < 200; run++) {
  const t = performance.now()
  const view = new EventView(event)
  fired = 0
  for (const r of evaluable) if (matchRule(r, view) === true) fired++
  evalRuns.push(performance.now() - t)
}

const rows: Array<[string, string]> = [
  ["corpus", CORPUS],
  ["rules (splunk)", String(splunk.length)],
  ["catalog load (read, YAML, schema)", `${loadMs.toFixed(0)} ms`],
  ["SPL parse + compile, all rules (median of 5)", `${median(parseRuns).toFixed(0)} ms`],
  ["single-event evaluable rules", String(evaluable.length)],
  ["one process event vs all evaluable rules (median of 200)", `${median(evalRuns).toFixed(2)} ms`],
  ["rules fired by the WMI event", String(fired)],
]
const width = Math.max(...rows.map((r) => r[0].length))
for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`)
