/**
 * `npm run bench [-- --no-export]`: prints a table of figures, asserts nothing. Reads the real
 * corpora from ../shared/corpora (security_content and, when present,
 * sigma), or CATALOG_CONTENT, and reports:
 *   - catalog load (read, YAML, schema, SPL and Sigma analysis) and tester compile time;
 *   - SPL parse + compile of every Splunk rule (median of 5);
 *   - tester: median time of one process event against every rule, Node and Chromium;
 *   - static export of the full catalog (scripts/build.ts, into out/: `next build` and the rule
 *     pages) beside the framework floor: the same number of trivial pages exported by the same
 *     Next version in the same run;
 *   - pages generated and output size; search index size and query latency when built;
 *   - first-load JS (gzipped) of the home, a rule, the tester and the search pages.
 * `--no-export` skips the two exports (minutes on two cores) and reads whatever out/ holds.
 * Note: the export rebuilds out/ from the corpora; run `npm run build` afterwards for content/.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { gzipSync } from "node:zlib"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import type { BuildTimings } from "../lib/catalog/report.ts"
import { analyzeSpl, compileRule, macroMap } from "../lib/formats/splunk/spl/index.ts"
import { firstLoadJs, type FirstLoad } from "./bench/first-load.ts"
import { exportFloor, folderSize } from "./bench/floor.ts"
import { benchTesterBrowser, benchTesterNode, quantile, testerPayloadSize } from "./bench/tester.ts"

const DEFAULT = ["../shared/corpora/security_content", "../shared/corpora/sigma"].filter((p) => existsSync(p))
const roots = process.env.CATALOG_CONTENT ? process.env.CATALOG_CONTENT.split(",") : DEFAULT
if (roots.length === 0 || !existsSync(roots[0]!)) {
  console.log(`bench: no corpus at ../shared/corpora (or CATALOG_CONTENT); nothing to measure`)
  process.exit(0)
}
const doExport = !process.argv.includes("--no-export")
const log = (s: string) => process.stderr.write(`bench: ${s}\n`)
const ms = (x: number) => `${x.toFixed(0)} ms`
const kb = (x: number) => `${(x / 1024).toFixed(0)} KB`
const rows: Array<[string, string, string]> = [["figure", "value", "goal / note"]]

// 1. Catalog load: read + YAML + schema + SPL/Sigma analysis, as the build does it.
log(`loading ${roots.join(", ")}`)
const t0 = performance.now()
const catalog = loadCatalog({ roots })
const loadMs = performance.now() - t0
// Twice more, beside it: the first load is the figure (a build loads once, in a fresh process,
// and pays the JIT's warm-up), but it swung from 2.0 to 3.0 s between runs on this shared machine,
// and the warm loads show how much of it is the code's own cost.
const warmLoads: number[] = []
for (let run = 0; run < 2; run++) {
  const t = performance.now()
  loadCatalog({ roots })
  warmLoads.push(performance.now() - t)
}
const byFormat = new Map<string, number>()
for (const d of catalog.detections) byFormat.set(d.format, (byFormat.get(d.format) ?? 0) + 1)
rows.push(["corpora", roots.join(", "), ""])
rows.push([
  "rules loaded",
  [...byFormat].map(([f, n]) => `${n} ${f}`).join(", "),
  `${catalog.files.filter((f) => f.status === "rejected").length} files rejected`,
])
rows.push([
  "catalog load + parse + compile (first in the process, as a build)",
  ms(loadMs),
  `≤ 3,000 ms; warm, twice more: ${warmLoads.map(ms).join(", ")}`,
])

// 2. SPL parse + compile alone (median of 5).
const macros = macroMap(catalog.macros.map((m) => ({ name: m.name, arguments: m.arguments, definition: m.definition })))
const splunk = catalog.detections.filter((d) => d.format === "splunk")
const parseRuns: number[] = []
for (let run = 0; run < 5; run++) {
  const t = performance.now()
  for (const d of splunk) compileRule(analyzeSpl(d.search, macros))
  parseRuns.push(performance.now() - t)
}
rows.push([
  "SPL parse + compile, every Splunk rule (median of 5)",
  ms(quantile(parseRuns, 0.5)),
  `${splunk.length} rules`,
])

// 3. Tester, Node and Chromium.
log("tester in Node")
const node = benchTesterNode(catalog.detections)
const med = (xs: Array<{ median: number; nearMisses: boolean }>, near: boolean) =>
  quantile(
    xs.filter((r) => r.nearMisses === near).map((r) => r.median),
    0.5,
  )
rows.push(["tester compile (compileCatalog)", ms(node.compileMs), `${node.rules} rules`])
rows.push([
  "tester, one event vs every rule, Node (median of 5 cases)",
  `${med(node.rows, false).toFixed(3)} ms`,
  "≤ 1 ms; fired + undecided with traces",
])
rows.push(["  … with near misses", `${med(node.rows, true).toFixed(3)} ms`, "traced near-miss search on top"])
const payload = testerPayloadSize(catalog.detections)
rows.push([
  "tester rules payload (/tester/rules/, all chunks)",
  `${kb(payload.raw)} raw, ${kb(payload.gz)} gz`,
  `a command line fetches ${kb(payload.cmdRaw)} raw, ${kb(payload.cmdGz)} gz`,
])
try {
  log("tester in Chromium")
  const b = await benchTesterBrowser(payload.json)
  rows.push([`tester, one event vs every rule, Chromium ${b.browser}`, `${med(b.rows, false).toFixed(3)} ms`, "≤ 1 ms"])
  rows.push(["  … with near misses", `${med(b.rows, true).toFixed(3)} ms`, ""])
} catch (e) {
  rows.push(["tester in Chromium", "not measured", e instanceof Error ? e.message.split("\n")[0]! : String(e)])
}

// 4. Static export of the full catalog, then the framework floor with as many pages.
if (doExport) {
  log("exporting the catalog (scripts/build.ts)")
  const t = performance.now()
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CATALOG_CONTENT: roots.join(",") },
  })
  const buildMs = performance.now() - t
  if (r.status !== 0) rows.push(["static export", "FAILED", `exit ${r.status}`])
  else {
    const { timings } = JSON.parse(readFileSync("out/report.json", "utf8")) as { timings: BuildTimings }
    const size = folderSize("out")
    const exportMs = timings.exportMs ?? buildMs
    rows.push([
      "static export, full catalog",
      ms(exportMs),
      `next build ${ms(timings.nextMs ?? 0)}, rule pages ${ms(timings.rulePagesMs ?? 0)} at the same time; whole build ${ms(buildMs)}`,
    ])
    rows.push([
      "pages generated (HTML files) and output size",
      `${size.htmlFiles} pages, ${(size.bytes / 1024 / 1024).toFixed(0)} MB`,
      "",
    ])
    log(`framework floor: ${size.htmlFiles} trivial pages`)
    const floor = exportFloor(size.htmlFiles)
    rows.push([
      "framework floor: same page count, trivial pages",
      ms(floor.ms),
      `${floor.htmlFiles} pages, ${(floor.bytes / 1024 / 1024).toFixed(0)} MB`,
    ])
    rows.push(["export / floor", `${(exportMs / floor.ms).toFixed(2)}×`, "≤ 1.5×"])
    const cpu = timings.exportCpuMs
    if (cpu !== undefined && floor.cpuMs !== undefined) {
      rows.push([
        "export CPU time (user + system, all processes)",
        `${ms(cpu)} vs floor ${ms(floor.cpuMs)}`,
        `${(cpu / floor.cpuMs).toFixed(2)}×: steadier than wall time on a busy disk`,
      ])
    }
    if (floor.firstLoad)
      rows.push([
        "framework floor first-load JS (trivial page)",
        `${kb(floor.firstLoad.gz)} gz`,
        "what any Next 16 page ships",
      ])
  }
} else rows.push(["static export", "skipped (--no-export)", "figures below read the existing out/"])

// 5. Search index (when the search route exists in out/).
if (existsSync("out/search-index.json")) {
  const raw = readFileSync("out/search-index.json")
  rows.push(["search index (/search-index.json)", `${kb(raw.length)} raw, ${kb(gzipSync(raw).length)} gz`, "≤ 1 MB gz"])
}
if (existsSync("out/search-ids.json")) {
  const raw = readFileSync("out/search-ids.json")
  rows.push([
    "search ids (/search-ids.json)",
    `${kb(raw.length)} raw, ${kb(gzipSync(raw).length)} gz`,
    "fetched only by a query that can match an id",
  ])
}

// 6. First-load JS of representative pages.
const rulePage = ["splunk", "sigma"].flatMap((f) =>
  existsSync(`out/rules/${f}`)
    ? readdirSync(`out/rules/${f}`)
        .slice(0, 1)
        .map((s) => `rules/${f}/${s}`)
    : [],
)[0]
const pages: Array<[string, string | undefined, string]> = [
  ["home", "", ""],
  ["rule page", rulePage, "≤ 120 KB gz"],
  ["tester", "tester", "worker and rules load on first use"],
  ["search", "search", "index loads on first use"],
]
for (const [label, page, goal] of pages) {
  const f: FirstLoad | undefined = page === undefined ? undefined : firstLoadJs("out", page)
  rows.push([
    `first-load JS: ${label}${page ? ` (/${page}/)` : ""}`,
    f ? `${kb(f.gz)} gz (${f.scripts} scripts, ${kb(f.raw)} raw)` : "no such page in out/",
    goal,
  ])
}
if (doExport) log("done; out/ now holds the corpus build (npm run build rebuilds content/)")

console.log("")
const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)))
for (const r of rows)
  console.log(
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd(),
  )
