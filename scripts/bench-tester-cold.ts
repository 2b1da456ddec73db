/**
 * `npx tsx scripts/bench-tester-cold.ts [--base dir] [--runs 3] [dir]`: prints figures, asserts
 * nothing. Serves an exported site (default out/) and, with --base, a second one (e.g. an export
 * of an earlier commit built the same way), and measures in Chromium, in the same run, for each:
 * a cold paste (fresh profile, the command line pasted 1 s after load and at once) to the first
 * result; a permalink (fresh profile, /tester/#cmd=…) to the first result; the same permalink on
 * a second visit; and the bytes the tester fetched for it (rules payload and JavaScript, raw and
 * gzipped). Prints the machine's load average beside the figures: two cores are shared.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { existsSync } from "node:fs"
import { loadavg } from "node:os"
import { gzipSync } from "node:zlib"

import { chromium, type Browser, type Page } from "@playwright/test"

const args = process.argv.slice(2)
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args.splice(i, 2)[1] : undefined
}
const base = opt("base")
const runs = Number(opt("runs") ?? 3)
const dir = args[0] ?? "out"
const CMD = 'wmic /node:10.0.0.5 process call create "cmd.exe /c calc.exe"'

function serve(root: string, port: number): ChildProcess {
  return spawn(process.execPath, ["scripts/static-server.mjs", root, String(port)], { stdio: "ignore" })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

async function firstResult(page: Page): Promise<void> {
  await page
    .getByRole("status")
    .filter({ hasText: /Evaluated against/ })
    .waitFor({ timeout: 120_000 })
}

type Bytes = { rulesRaw: number; rulesGz: number; jsRaw: number; jsGz: number }

/** One fresh profile: what it fetched and how long the first result took. */
async function once(
  browser: Browser,
  origin: string,
  mode: "paste-1s" | "paste-0s" | "permalink",
): Promise<{ ms: number; bytes: Bytes; second?: number }> {
  const context = await browser.newContext()
  const page = await context.newPage()
  const bytes: Bytes = { rulesRaw: 0, rulesGz: 0, jsRaw: 0, jsGz: 0 }
  page.on("response", async (r) => {
    const url = r.url()
    const rules = /\/tester\/rules/.test(url)
    const js = url.endsWith(".js")
    if (!rules && !js) return
    const body = await r.body().catch(() => undefined)
    if (!body) return
    if (rules) {
      bytes.rulesRaw += body.length
      bytes.rulesGz += gzipSync(body).length
    } else {
      bytes.jsRaw += body.length
      bytes.jsGz += gzipSync(body).length
    }
  })
  let ms: number
  let second: number | undefined
  if (mode === "permalink") {
    const url = `${origin}/tester/#cmd=${encodeURIComponent(CMD)}`
    const t0 = Date.now()
    await page.goto(url)
    await firstResult(page)
    ms = Date.now() - t0
    const again = await context.newPage()
    const t1 = Date.now()
    await again.goto(url)
    await firstResult(again)
    second = Date.now() - t1
  } else {
    await page.goto(`${origin}/tester/`, { waitUntil: "load" })
    const input = page.getByLabel("Command line", { exact: true })
    await input.waitFor()
    await page.waitForFunction(() => !document.querySelector("fieldset[disabled]"))
    if (mode === "paste-1s") await page.waitForTimeout(1000)
    const t0 = Date.now()
    await input.fill(CMD)
    await firstResult(page)
    ms = Date.now() - t0
  }
  await page.waitForTimeout(300) // let the last responses be read
  await context.close()
  return second === undefined ? { ms, bytes } : { ms, bytes, second }
}

async function measure(browser: Browser, label: string, root: string, port: number): Promise<string[][]> {
  const server = serve(root, port)
  await new Promise((r) => setTimeout(r, 500))
  const origin = `http://localhost:${port}`
  const rows: string[][] = []
  try {
    for (const mode of ["paste-1s", "paste-0s", "permalink"] as const) {
      const all = []
      for (let i = 0; i < runs; i++) all.push(await once(browser, origin, mode))
      const b = all[0]!.bytes
      const kb = (n: number) => `${(n / 1024).toFixed(0)}`
      rows.push([
        label,
        mode,
        String(median(all.map((x) => x.ms))),
        all.map((x) => x.ms).join(" / "),
        mode === "permalink" ? String(median(all.map((x) => x.second ?? Number.NaN))) : "",
        `${kb(b.rulesRaw)} / ${kb(b.rulesGz)}`,
        `${kb(b.jsRaw)} / ${kb(b.jsGz)}`,
        loadavg()[0]!.toFixed(1),
      ])
    }
  } finally {
    server.kill()
  }
  return rows
}

for (const d of [dir, base].filter((x): x is string => x !== undefined))
  if (!existsSync(`${d}/tester/index.html`)) throw new Error(`${d}/tester/index.html is absent: build the site first`)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
})
const rows: string[][] = []
try {
  if (base) rows.push(...(await measure(browser, `base (${base})`, base, 4371)))
  rows.push(...(await measure(browser, dir, dir, 4372)))
} finally {
  await browser.close()
}
const head = ["site", "case", "median ms", "runs ms", "2nd visit ms", "rules KB raw / gz", "JS KB raw / gz", "load avg"]
const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
for (const r of [head, width.map((w) => "-".repeat(w)), ...rows])
  console.log(`| ${r.map((c, i) => c.padEnd(width[i]!)).join(" | ")} |`)
