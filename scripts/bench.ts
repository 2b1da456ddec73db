/**
 * `npm run bench [-- --no-export]`: prints a table of figures, asserts nothing. Reads the real
 * corpora from ../shared/corpora and measures, side by side in one run, the two-corpus catalog
 * (security_content, sigma) and the three-corpus one (with elastic), or CATALOG_CONTENT alone:
 *   - catalog load (read, parse, analysis of every format) in a fresh process, as a build pays
 *     it, and twice more warm; tester compile time;
 *   - SPL parse + compile of every Splunk rule (median of 5);
 *   - tester: median time of one process event against every rule, Node and Chromium;
 *   - the tester's rules payload, whole and per rule; the search index, raw and gzipped;
 *   - static export of the widest catalog (scripts/build.ts, into out/: `next build` and the
 *     rule pages) beside the framework floor: the same number of trivial pages exported by the
 *     same Next version in the same run;
 *   - pages generated and output size; first-load JS (gzipped) of the home, a rule, the tester
 *     and the search pages.
 * `--no-export` skips the two exports (minutes on two cores) and reads whatever out/ holds;
 * `--export-only` measures only the export of the widest catalog and its floor (and out/).
 * Note: the export rebuilds out/ from the corpora; run `npm run build` afterwards for content/.
 */
import { spawnSync } from "node:child_process"
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { loadavg } from "node:os"
import { gzipSync } from "node:zlib"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import type { BuildTimings } from "../lib/catalog/report.ts"
import type { Catalog } from "../lib/catalog/types.ts"
import { indexCatalog } from "../lib/catalog/views.ts"
import { FORMATS } from "../lib/formats/registry.ts"
import { analyzeSpl, compileRule, macroMap } from "../lib/formats/splunk/spl/index.ts"
import { buildSearchIndex } from "../lib/search/build-index.ts"
import { firstLoadJs, type FirstLoad } from "./bench/first-load.ts"
import { exportFloor, folderSize } from "./bench/floor.ts"
import { benchTesterBrowser, benchTesterNode, quantile, testerPayloadSize } from "./bench/tester.ts"

const CORPORA = "../shared/corpora"
/** The catalogs measured side by side: each a label and its content roots. */
const configs: Array<{ label: string; roots: string[] }> = process.env.CATALOG_CONTENT
  ? [{ label: "CATALOG_CONTENT", roots: process.env.CATALOG_CONTENT.split(",") }]
  : [
      { label: "two corpora", roots: ["security_content", "sigma"] },
      { label: "three corpora", roots: ["security_content", "sigma", "elastic"] },
    ]
      .map((c) => ({ ...c, roots: c.roots.map((r) => `${CORPORA}/${r}`) }))
      .filter((c) => c.roots.every((r) => existsSync(r)))
if (configs.length === 0 || !existsSync(configs[0]!.roots[0]!)) {
  console.log(`bench: no corpus at ${CORPORA} (or CATALOG_CONTENT); nothing to measure`)
  process.exit(0)
}
const doExport = !process.argv.includes("--no-export")
const exportOnly = process.argv.includes("--export-only")
/**
 * The node flags `npm run build` starts the build with (package.json's build script): the fresh
 * load and the export here run as the build's own do.
 */
const buildFlags = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts
  .build!.split(/\s+/)
  .filter((w) => w.startsWith("--"))
const log = (s: string) => process.stderr.write(`bench: ${s}\n`)
/** The 1-minute load average when a figure was taken: on a shared machine, wall times count the others' work. */
const loadAverage = () => loadavg()[0]!.toFixed(1)
const ms = (x: number) => `${x.toFixed(0)} ms`
const kb = (x: number) => `${(x / 1024).toFixed(0)} KB`
const bytes = (x: number) => `${x.toFixed(0)} B`
/** One figure per catalog measured, and the goal. */
const rows: string[][] = [["figure", ...configs.map((c) => c.label), "goal / note"]]
/** Rows with one value for the whole run (the export, first-load JS). */
const single: Array<[string, string, string]> = []
const per = new Map<string, string[]>()
const put = (figure: string, value: string) => per.set(figure, [...(per.get(figure) ?? []), value])
const goals = new Map<string, string>()
const goal = (figure: string, g: string) => goals.set(figure, g)

let widest: Catalog | undefined
for (const { label, roots } of exportOnly ? [] : configs) {
  // 1. Catalog load in a fresh process (the figure: a build loads once and pays the JIT's
  // warm-up), then twice more here, warm, to show how much of it is the code's own cost.
  log(`${label}: loading ${roots.join(", ")} in a fresh process`)
  const fresh = spawnSync(process.execPath, [...buildFlags, "--import", "tsx", "scripts/bench/load.ts", ...roots], {
    encoding: "utf8",
  })
  const freshRun =
    fresh.status === 0
      ? (JSON.parse(fresh.stdout.trim().split("\n").pop()!) as { ms: number; cpuMs: number })
      : undefined
  const first = freshRun?.ms ?? NaN
  // The same without the build's node flags: what they are worth, in this run.
  const plain =
    buildFlags.length === 0
      ? undefined
      : spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/load.ts", ...roots], { encoding: "utf8" })
  const plainMs =
    plain?.status === 0 ? (JSON.parse(plain.stdout.trim().split("\n").pop()!) as { ms: number }).ms : undefined
  const catalog = loadCatalog({ roots })
  const warm: number[] = []
  for (let run = 0; run < 2; run++) {
    const t = performance.now()
    loadCatalog({ roots })
    warm.push(performance.now() - t)
  }
  const byFormat = FORMATS.map((f) => [f.label, catalog.detections.filter((d) => d.format === f.id).length] as const)
  put(
    "rules loaded",
    byFormat
      .filter(([, n]) => n > 0)
      .map(([f, n]) => `${n} ${f}`)
      .join(", "),
  )
  put("files rejected", String(catalog.files.filter((f) => f.status === "rejected").length))
  put(
    "catalog load, fresh process (as a build)",
    freshRun ? `${ms(first)} (CPU ${ms(freshRun.cpuMs)}; load average ${loadAverage()})` : "FAILED",
  )
  goal(
    "catalog load, fresh process (as a build)",
    `≤ 4,000 ms (node flags of npm run build: ${buildFlags.join(" ") || "none"})`,
  )
  if (plainMs !== undefined) put("  … fresh process without those node flags", ms(plainMs))
  put("  … warm, twice more in this process", warm.map(ms).join(", "))

  // 2. SPL parse + compile alone (median of 5): the same Splunk rules in every catalog.
  const macros = macroMap(
    catalog.macros.map((m) => ({ name: m.name, arguments: m.arguments, definition: m.definition })),
  )
  const splunk = catalog.detections.filter((d) => d.analysis?.detail.format === "splunk")
  const parseRuns: number[] = []
  for (let run = 0; run < 5; run++) {
    const t = performance.now()
    for (const d of splunk) compileRule(analyzeSpl(d.search, macros))
    parseRuns.push(performance.now() - t)
  }
  put(
    "SPL parse + compile, every Splunk rule (median of 5)",
    `${ms(quantile(parseRuns, 0.5))} (${splunk.length} rules)`,
  )

  // 3. Tester, Node and Chromium, on the payload the worker loads.
  log(`${label}: tester in Node`)
  const node = benchTesterNode(catalog.detections)
  const med = (xs: Array<{ median: number; nearMisses: boolean }>, near: boolean) =>
    quantile(
      xs.filter((r) => r.nearMisses === near).map((r) => r.median),
      0.5,
    )
  put("tester compile (compileCatalog)", `${ms(node.compileMs)} (${node.rules} rules)`)
  put("tester, one event vs every rule, Node (median of 5 cases)", `${med(node.rows, false).toFixed(3)} ms`)
  goal("tester, one event vs every rule, Node (median of 5 cases)", "≤ 1 ms; fired + undecided with traces")
  put("  … with near misses, Node", `${med(node.rows, true).toFixed(3)} ms`)
  const payload = testerPayloadSize(catalog)
  const rules = catalog.detections.length
  put("tester rules payload (/tester/rules/, chunk files as shipped)", `${kb(payload.raw)} raw, ${kb(payload.gz)} gz`)
  put("tester payload per rule", `${bytes(payload.raw / rules)} raw, ${bytes(payload.gz / rules)} gz`)
  goal("tester payload per rule", "three corpora no larger than two; ≤ 215 B gz at three")
  put("  … per rule, by format (gz)", payload.formats.map((f) => `${f.format} ${bytes(f.gz / f.rules)}`).join(", "))
  put("  … what a command line fetches", `${kb(payload.cmdRaw)} raw, ${kb(payload.cmdGz)} gz`)
  try {
    log(`${label}: tester in Chromium`)
    const b = await benchTesterBrowser(payload.browser)
    put("tester, one event vs every rule, Chromium", `${med(b.rows, false).toFixed(3)} ms`)
    goal("tester, one event vs every rule, Chromium", `≤ 1 ms (Chromium ${b.browser})`)
    put("  … with near misses, Chromium", `${med(b.rows, true).toFixed(3)} ms`)
  } catch (e) {
    put("tester, one event vs every rule, Chromium", "not measured")
    goal("tester, one event vs every rule, Chromium", e instanceof Error ? e.message.split("\n")[0]! : String(e))
  }

  // 4. Search index, built as the export writes /search-index.json.
  const search = Buffer.from(JSON.stringify(await buildSearchIndex(indexCatalog(catalog))))
  put("search index (/search-index.json)", `${kb(search.length)} raw, ${kb(gzipSync(search).length)} gz`)
  goal("search index (/search-index.json)", "≤ 1.3 MB gz at three corpora")
  widest = catalog
}
for (const [figure, values] of per) rows.push([figure, ...values, goals.get(figure) ?? ""])

// 5. Static export of the widest catalog, then the framework floor with as many pages.
const roots = configs[configs.length - 1]!.roots
if (doExport && (widest || exportOnly)) {
  log(`exporting the catalog of ${roots.join(", ")} (scripts/build.ts)`)
  const exportLoad = loadAverage()
  const t = performance.now()
  const r = spawnSync(process.execPath, [...buildFlags, "--import", "tsx", "scripts/build.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CATALOG_CONTENT: roots.join(",") },
  })
  const buildMs = performance.now() - t
  if (r.status !== 0) single.push(["static export", "FAILED", `exit ${r.status}`])
  else {
    const { timings } = JSON.parse(readFileSync("out/report.json", "utf8")) as {
      timings: BuildTimings & { loadMs: number }
    }
    single.push(["catalog load inside that build", ms(timings.loadMs), "the build's own figure (report.json)"])
    const size = folderSize("out")
    const exportMs = timings.exportMs ?? buildMs
    single.push([
      "static export, full catalog",
      ms(exportMs),
      `next build ${ms(timings.nextMs ?? 0)}, rule pages ${ms(timings.rulePagesMs ?? 0)} at the same time; whole build ${ms(buildMs)}`,
    ])
    single.push([
      "pages generated (HTML files) and output size",
      `${size.htmlFiles} pages, ${(size.bytes / 1024 / 1024).toFixed(0)} MB`,
      "",
    ])
    log(`framework floor: ${size.htmlFiles} trivial pages`)
    const floor = exportFloor(size.htmlFiles)
    single.push([
      "framework floor: same page count, trivial pages",
      ms(floor.ms),
      `${floor.htmlFiles} pages, ${(floor.bytes / 1024 / 1024).toFixed(0)} MB`,
    ])
    single.push([
      "export / floor",
      `${(exportMs / floor.ms).toFixed(2)}×`,
      `≤ 1.5× (load average ${exportLoad} at the export, ${loadAverage()} after the floor)`,
    ])
    const cpu = timings.exportCpuMs
    if (cpu !== undefined && floor.cpuMs !== undefined) {
      single.push([
        "export CPU time (user + system, all processes)",
        `${ms(cpu)} vs floor ${ms(floor.cpuMs)}`,
        `${(cpu / floor.cpuMs).toFixed(2)}×: steadier than wall time on a busy disk`,
      ])
    }
    if (floor.firstLoad)
      single.push([
        "framework floor first-load JS (trivial page)",
        `${kb(floor.firstLoad.gz)} gz`,
        "what any Next 16 page ships",
      ])
  }
} else single.push(["static export", "skipped (--no-export)", "figures below read the existing out/"])

// 6. What out/ holds: the search ids, first-load JS of representative pages.
if (existsSync("out/search-ids.json")) {
  const raw = readFileSync("out/search-ids.json")
  single.push([
    "search ids (/search-ids.json)",
    `${kb(raw.length)} raw, ${kb(gzipSync(raw).length)} gz`,
    "fetched only by a query that can match an id",
  ])
}

const rulePage = FORMATS.map((f) => f.id).flatMap((f) =>
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
  single.push([
    `first-load JS: ${label}${page ? ` (/${page}/)` : ""}`,
    f ? `${kb(f.gz)} gz (${f.scripts} scripts, ${kb(f.raw)} raw)` : "no such page in out/",
    goal,
  ])
}
if (doExport) log("done; out/ now holds the corpus build (npm run build rebuilds content/)")

console.log("")
const print = (table: string[][]) => {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)))
  for (const r of table)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
}
if (!exportOnly) {
  print(rows)
  console.log("")
}
print([
  [`the widest catalog (${roots.map((r) => r.split("/").pop()).join(", ")}) and out/`, "value", "goal / note"],
  ...single,
])
