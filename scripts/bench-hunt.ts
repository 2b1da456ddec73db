/**
 * `npm run bench:hunt [-- --events N] [-- --rss-events M]`: prints figures, asserts nothing.
 * Generates process-event logs (scripts/hunt/generate.ts) into a temporary folder, loads the
 * real corpora (../shared/corpora security_content and sigma, or CATALOG_CONTENT) once, then
 * in one run prints:
 *   - the floor: reading the 100,000-line log and parsing it into events (JSON, case lines →
 *     built process events), and reading plus JSON.parse alone;
 *   - `atlas hunt`'s engine over the same file past the catalog load (read, parse, every rule,
 *     the multi-event stages, the report): events/s, goal ≥ 20,000;
 *   - RSS of a hunt over 1,000,000 events, in a child process given the site's rules payload
 *     (as `atlas hunt --rules` and the browser take them): peak, and before the log; beside it the
 *     RSS of loading the corpora in-process. Goal ≤ 500 MB. With it, the aggregation state behind
 *     it (groups held at peak, finalised early, never kept), the bounds it ran with, and how many
 *     rules say their answer is incomplete.
 */
import { spawnSync } from "node:child_process"
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { Hunter, type HuntCatalog } from "../lib/hunt/hunt.ts"
import { huntFromPayload, huntPayload, leanHunt, type HuntPayload } from "../lib/hunt/payload.ts"
import { readLog } from "../lib/hunt/read.node.ts"
import { processLogLines } from "./hunt/generate.ts"

const DEFAULT = ["../shared/corpora/security_content", "../shared/corpora/sigma"].filter((p) => existsSync(p))
const roots = process.env.CATALOG_CONTENT ? process.env.CATALOG_CONTENT.split(",") : DEFAULT
const argv = process.argv.slice(2)
const opt = (name: string, d: number) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : d
}
const log = (s: string) => process.stderr.write(`bench:hunt: ${s}\n`)
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`

async function writeLog(path: string, events: number): Promise<void> {
  const out = createWriteStream(path)
  let buf: string[] = []
  for (const line of processLogLines({ events, seed: 7 })) {
    buf.push(line)
    if (buf.length >= 5000) {
      if (!out.write(`${buf.join("\n")}\n`)) await new Promise<void>((r) => out.once("drain", () => r()))
      buf = []
    }
  }
  if (buf.length) out.write(`${buf.join("\n")}\n`)
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())))
}

/**
 * Child mode: hunt one file and print the peak RSS as JSON. The rules come from a payload file
 * (what `atlas hunt --rules out/tester/hunt/rules.json` and the browser load), so the figure is
 * the hunt's own, not the catalog loader's.
 */
async function rssChild(file: string, rules: string): Promise<void> {
  const hunt: HuntCatalog = huntFromPayload(JSON.parse(readFileSync(rules, "utf8")) as HuntPayload)
  ;(globalThis as { gc?: () => void }).gc?.()
  const afterLoad = process.memoryUsage.rss()
  let peak = afterLoad
  let heap = process.memoryUsage().heapUsed
  const hunter = new Hunter(hunt)
  let groups = 0
  const t = performance.now()
  await readLog(
    file,
    (e) => {
      hunter.push(e.input, e.time)
      if ((hunter.events & 16383) === 0) {
        const m = process.memoryUsage()
        peak = Math.max(peak, m.rss)
        heap = Math.max(heap, m.heapUsed)
        groups = Math.max(groups, hunter.held().groups)
      }
    },
    () => {},
  )
  const held = hunter.held()
  const report = hunter.finish()
  peak = Math.max(peak, process.memoryUsage.rss())
  const seconds = (performance.now() - t) / 1000
  process.stdout.write(
    JSON.stringify({
      events: report.events,
      afterLoad,
      peak,
      maxRss: process.resourceUsage().maxRSS * 1024,
      heap,
      seconds,
      rules: report.rules.length,
      groups,
      finalised: held.finalised,
      dropped: held.dropped,
      stages: held.stages,
      truncated: report.counts.truncated,
      shared: report.counts.shared,
      limits: report.limits,
    }),
  )
}

async function main(): Promise<void> {
  if (argv[0] === "--rss-child") return rssChild(argv[1]!, argv[2]!)
  if (roots.length === 0 || !existsSync(roots[0]!)) {
    console.log("bench:hunt: no corpus at ../shared/corpora (or CATALOG_CONTENT); nothing to measure")
    return
  }
  const events = opt("events", 100_000)
  const rssEvents = opt("rss-events", 1_000_000)
  const dir = mkdtempSync(join(tmpdir(), "atlas-bench-hunt-"))
  try {
    const small = join(dir, "log.jsonl")
    const big = join(dir, "log-rss.jsonl")
    log(`generating ${events} and ${rssEvents} events in ${dir}`)
    await writeLog(small, events)
    if (rssEvents > 0) await writeLog(big, rssEvents)
    log(`loading ${roots.join(", ")}`)
    let t = performance.now()
    const catalog = loadCatalog({ roots })
    const loadMs = performance.now() - t
    const loadRss = process.memoryUsage.rss()
    t = performance.now()
    const hunt = leanHunt(catalog.detections, catalog.lookupTables)
    const compileMs = performance.now() - t
    const rows: string[][] = [["figure", "value", "goal / note"]]
    rows.push([
      "rules",
      `${hunt.rules.length + hunt.notHunted.length}`,
      `${hunt.rules.filter((r) => r.mode === "log").length} over the log, ${hunt.rules.filter((r) => r.mode === "event").length} per event, ${hunt.notHunted.length} not hunted`,
    ])
    rows.push([
      "catalog load + hunt compile",
      `${loadMs.toFixed(0)} ms + ${compileMs.toFixed(0)} ms`,
      "not counted below",
    ])

    log(`catalog loaded in ${loadMs.toFixed(0)} ms; floors`)
    // Floors: the same file read as text and JSON.parse'd; then read and parsed into events.
    t = performance.now()
    let lines = 0
    {
      const { createReadStream } = await import("node:fs")
      const dec = new TextDecoder()
      let carry = ""
      for await (const chunk of createReadStream(small)) {
        const text = carry + dec.decode(chunk as Buffer, { stream: true })
        const parts = text.split("\n")
        carry = parts.pop() ?? ""
        for (const p of parts) {
          if (p === "") continue
          JSON.parse(p)
          lines++
        }
      }
    }
    const jsonS = (performance.now() - t) / 1000
    rows.push([
      "floor: read + JSON.parse",
      `${Math.round(lines / jsonS)} lines/s`,
      `${lines} lines in ${jsonS.toFixed(2)} s`,
    ])
    t = performance.now()
    let parsed = 0
    await readLog(
      small,
      () => parsed++,
      () => {},
    )
    const parseS = (performance.now() - t) / 1000
    rows.push([
      "floor: read + parse into events",
      `${Math.round(parsed / parseS)} events/s`,
      `${parsed} events in ${parseS.toFixed(2)} s`,
    ])

    log("hunting")
    // The hunt: same reader, every event through every rule, then the report.
    for (let run = 1; run <= 2; run++) {
      const hunter = new Hunter(hunt)
      t = performance.now()
      await readLog(
        small,
        (e) => hunter.push(e.input, e.time),
        () => {},
      )
      const report = hunter.finish()
      const s = (performance.now() - t) / 1000
      rows.push([
        `hunt, run ${run}`,
        `${Math.round(report.events / s)} events/s`,
        `goal ≥ 20,000; ${report.events} events in ${s.toFixed(2)} s, ${report.rules.length} rules with hits, ${report.counts.truncated} rules incomplete`,
      ])
    }
    if (rssEvents > 0) {
      log(`hunting ${rssEvents} events in a child process for its RSS`)
      const rules = join(dir, "rules.json")
      writeFileSync(rules, JSON.stringify(huntPayload(catalog.detections, catalog.attackVersion)))
      const child = spawnSync(
        process.execPath,
        ["--expose-gc", ...process.execArgv, process.argv[1]!, "--rss-child", big, rules],
        {
          encoding: "utf8",
          env: process.env,
          maxBuffer: 1 << 20,
        },
      )
      if (child.status !== 0) rows.push(["RSS", "child failed", child.stderr.slice(-300)])
      else {
        const r = JSON.parse(child.stdout) as {
          events: number
          afterLoad: number
          peak: number
          maxRss: number
          heap: number
          seconds: number
          rules: number
          groups: number
          finalised: number
          dropped: number
          stages: number
          truncated: number
          shared: number
          limits: { groups: number; held: number; window: number; eventsPerRule: number }
        }
        rows.push([
          `RSS, hunt over ${r.events} events`,
          `${mb(r.maxRss)} peak`,
          `goal ≤ 500 MB; rules from the site's payload (atlas hunt --rules): ${mb(r.afterLoad)} before the log; JS heap peak ${mb(r.heap)}; loading the corpora in-process peaks at ${mb(loadRss)}; ${Math.round(r.events / r.seconds)} events/s`,
        ])
        rows.push([
          "  aggregation state",
          `${r.groups} groups peak`,
          `over ${r.stages} first aggregations (${r.shared} rules share another's); ${r.finalised} groups finalised before the end (span buckets); rows of ${r.dropped} never-kept groups (dropped by BY values alone); ${r.truncated} rules incomplete`,
        ])
        rows.push([
          "  bounds",
          `${r.limits.groups} groups / stage`,
          `${r.limits.held} rows per eventstats; reorder window ${r.limits.window} s; ${r.limits.eventsPerRule} event numbers listed per rule`,
        ])
      }
    }
    const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)))
    for (const r of rows) console.log(r.map((x, c) => x.padEnd(w[c]!)).join("  "))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
