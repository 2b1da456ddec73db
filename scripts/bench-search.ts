/**
 * `npx tsx scripts/bench-search.ts`: search figures on a real corpus, in Chromium.
 *
 * Builds `/search-index.json` and `/search-ids.json` for CATALOG_CONTENT (default: both corpora,
 * ../shared/corpora/security_content and ../shared/corpora/sigma, those present) exactly as the
 * route handlers do, prints their raw and gzipped sizes, then bundles the browser half of the
 * search (lib/search/load-index.ts + run.ts) and times it in Chromium
 * (CHROMIUM_PATH, default /usr/bin/chromium): fetch + parse + load of the index, then p50/p95
 * latency of the 50 fixed queries of lib/search/bench-queries.ts (one warm-up round, then
 * ROUNDS timed rounds). With a built out/, also prints a rule page's first-load JS.
 * Prints figures; it is not a test.
 */
import { existsSync, readdirSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { loadavg } from "node:os"
import { gzipSync } from "node:zlib"

import { chromium } from "@playwright/test"
import { build } from "esbuild"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { indexCatalog } from "../lib/catalog/views.ts"
import { BENCH_QUERIES } from "../lib/search/bench-queries.ts"
import { WARM_UP_QUERIES } from "../lib/search/run.ts"
import { buildSearchIds, buildSearchIndex } from "../lib/search/build-index.ts"
import { firstLoadJs } from "./bench/first-load.ts"

const ROUNDS = Number(process.env.ROUNDS ?? 9)
const CORPORA = ["../shared/corpora/security_content", "../shared/corpora/sigma"].filter((c) => existsSync(c))
const roots = process.env.CATALOG_CONTENT ? process.env.CATALOG_CONTENT.split(",") : CORPORA
if (roots.length === 0) throw new Error("no corpus: set CATALOG_CONTENT or provide ../shared/corpora")
const log = (line: string) => process.stdout.write(`${line}\n`)
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`

const catalog = loadCatalog({ roots })
const started = performance.now()
const indexed = indexCatalog(catalog)
const json = JSON.stringify(await buildSearchIndex(indexed))
const idsJson = JSON.stringify(buildSearchIds(indexed))
log(`machine load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} (1, 5, 15 min; timings are wall-clock; a busy machine inflates them)`)
log(`corpus: ${roots.join(",")}: ${catalog.detections.length} rules; index built in ${Math.round(performance.now() - started)} ms`)
log(`index size: ${kib(json.length)} raw, ${kib(gzipSync(json, { level: 9 }).length)} gzipped`)
log(`ids (/search-ids.json, fetched only by a query that can match an id): ${kib(idsJson.length)} raw, ${kib(gzipSync(idsJson, { level: 9 }).length)} gzipped`)

const bundle = await build({
  stdin: {
    contents: `
      import { addIds, loadSearchIndex } from "./lib/search/load-index.ts"
      import { runSearch, WARM_UP_QUERIES } from "./lib/search/run.ts"
      import { BENCH_QUERIES } from "./lib/search/bench-queries.ts"
      globalThis.bench = async (rounds) => {
        const t0 = performance.now()
        const data = await (await fetch("/search-index.json")).json()
        const t1 = performance.now()
        const s = loadSearchIndex(data)
        const t2 = performance.now()
        const cold = BENCH_QUERIES.map((q) => { const a = performance.now(); runSearch(s, q, {}, 50); return performance.now() - a })
        const i0 = performance.now()
        addIds(s, await (await fetch("/search-ids.json")).json())
        const idsMs = performance.now() - i0
        const fresh = loadSearchIndex(data)
        const w0 = performance.now()
        for (const q of WARM_UP_QUERIES) runSearch(fresh, q, {}, 8)
        const warmUpMs = performance.now() - w0
        const warm = []
        for (let i = 0; i < rounds; i++) for (const q of BENCH_QUERIES) { const a = performance.now(); runSearch(s, q, {}, 50); warm.push(performance.now() - a) }
        return { fetchParse: t1 - t0, importMs: t2 - t1, cold, warm, warmUpMs, idsMs }
      }`,
    resolveDir: process.cwd(),
    loader: "ts",
  },
  bundle: true,
  format: "iife",
  platform: "browser",
  write: false,
  define: { "process.env.NEXT_PUBLIC_BASE_PATH": '""' },
})
const js = bundle.outputFiles[0]?.text ?? ""

const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined)
const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] })
try {
  // A real local HTTP server (gzip off, as from disk): Playwright's request interception would
  // add its own transfer time to the load figure.
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname
    const [type, body] =
      path === "/search-index.json" ? ["application/json", json] : path === "/search-ids.json" ? ["application/json", idsJson] : path === "/bench.js" ? ["text/javascript", js] : ["text/html", '<!doctype html><script src="/bench.js"></script>']
    res.writeHead(200, { "content-type": type })
    res.end(body)
  })
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok))
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  const r = await page.evaluate((rounds) => (globalThis as unknown as { bench: (n: number) => Promise<{ fetchParse: number; importMs: number; cold: number[]; warm: number[]; warmUpMs: number; idsMs: number }> }).bench(rounds), ROUNDS)
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b)
    return (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0).toFixed(2)
  }
  log(`load in Chromium: fetch + JSON parse ${r.fetchParse.toFixed(0)} ms, unpack + tables ${r.importMs.toFixed(0)} ms, total ${(r.fetchParse + r.importMs).toFixed(0)} ms; ids fetch + add ${r.idsMs.toFixed(0)} ms`)
  log(`worker warm-up after load (${WARM_UP_QUERIES.length} queries, off the main thread): ${r.warmUpMs.toFixed(0)} ms`)
  log(`queries (${r.cold.length} fixed), first run on a cold engine: p50 ${pct(r.cold, 50)} ms, p95 ${pct(r.cold, 95)} ms, max ${pct(r.cold, 100)} ms`)
  log(`queries, ${ROUNDS} warm rounds (${r.warm.length} runs): p50 ${pct(r.warm, 50)} ms, p95 ${pct(r.warm, 95)} ms, max ${pct(r.warm, 100)} ms`)
  // A busy machine adds pauses to single runs; each query's median over the rounds is steadier.
  const perQuery = BENCH_QUERIES.map((q, i) => ({ q, median: Number(pct(r.warm.filter((_, j) => j % BENCH_QUERIES.length === i), 50)) }))
  const medians = perQuery.map((x) => x.median)
  log(`queries, median of each over the rounds: p50 ${pct(medians, 50)} ms, p95 ${pct(medians, 95)} ms, max ${pct(medians, 100)} ms`)
  // The fastest run of each query is the one least disturbed by other processes: the nearest
  // figure to a quiet machine that a shared one gives.
  const mins = BENCH_QUERIES.map((_, i) => Math.min(...r.warm.filter((_, j) => j % BENCH_QUERIES.length === i)))
  log(`queries, fastest run of each over the rounds (quiet-machine estimate): p50 ${pct(mins, 50)} ms, p95 ${pct(mins, 95)} ms, max ${pct(mins, 100)} ms`)
  log(`slowest (warm median): ${perQuery.sort((a, b) => b.median - a.median).slice(0, 5).map((x) => `${x.q} ${x.median.toFixed(2)} ms`).join(", ")}`)
  server.close()
} finally {
  await browser.close()
}

// First-load JS of a rule page and of /search/ as built in out/ (either catalog): the palette,
// its worker and the index must stay out of it.
const rulePage = ["splunk", "sigma"].flatMap((f) => (existsSync(`out/rules/${f}`) ? readdirSync(`out/rules/${f}`).sort().slice(0, 1).map((slug) => `rules/${f}/${slug}`) : []))[0]
for (const page of [rulePage, "search"]) {
  const f = page === undefined ? undefined : firstLoadJs("out", page)
  if (f) log(`first-load JS of /${page}/: ${f.scripts} scripts, ${kib(f.raw)} raw, ${kib(f.gz)} gzipped`)
}
