import { readFile } from "node:fs/promises"

import { expect, expectAccessible, test } from "./fixtures"

test("home page shows the catalog counts @mobile", async ({ page, problems }) => {
  await page.goto("/")
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Detection Atlas")
  await expect(page.getByTestId("count-detection")).toHaveText(/^\d+$/)
  expect(Number(await page.getByTestId("count-detection").textContent())).toBeGreaterThanOrEqual(40)
  const latest = page.getByTestId("latest-rules").getByRole("listitem")
  await expect(latest).toHaveCount(8)
  const dates = await page
    .getByTestId("latest-rules")
    .locator("time")
    .evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime") ?? ""))
  expect(dates).toEqual([...dates].sort().reverse())
  await expectAccessible(page)
  await page.getByTestId("entry-tester").click()
  await expect(page).toHaveURL(/\/tester\/$/)
  expect(problems).toEqual([])
})

test("rule list filters by type and keeps the filter on reload", async ({ page, problems }) => {
  await page.goto("/rules/")
  const count = page.getByTestId("rule-count")
  await expect(count).toHaveText(/^(\d+) of \1 rules$/)
  await page.getByRole("button", { name: /^Correlation \(4\)$/ }).click()
  await expect(count).toHaveText(/^4 of \d+ rules$/)
  await expect(page).toHaveURL(/type=Correlation/)
  await page.reload()
  await expect(page.getByRole("button", { name: /^Correlation \(4\)$/ })).toHaveAttribute("aria-pressed", "true")
  await expect(count).toHaveText(/^4 of \d+ rules$/)
  await page.getByLabel("Name or technique").fill("risk")
  await expect(page.getByRole("link", { name: "Endpoint Risk Spanning Multiple MITRE Tactics" })).toBeVisible()
  await page.getByRole("link", { name: "Endpoint Risk Spanning Multiple MITRE Tactics" }).click()
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Endpoint Risk Spanning Multiple MITRE Tactics")
  expect(problems).toEqual([])
  await page.goto("/rules/")
  await expectAccessible(page)
})

test("story, data source and macro pages link rules", async ({ page, problems }) => {
  await page.goto("/stories/")
  await page.getByRole("link", { name: "Remote Execution Tradecraft" }).first().click()
  await expect(page.getByRole("heading", { level: 2, name: /Rules \(\d+\)/ })).toBeVisible()
  const matrix = page.getByTestId("mini-matrix")
  await expect(matrix.getByRole("link", { name: /T1047 Windows Management Instrumentation/ })).toHaveAttribute(
    "href",
    "/techniques/t1047/",
  )
  await expect(matrix.getByRole("link", { name: "Execution", exact: true })).toHaveAttribute(
    "href",
    "/tactics/execution/",
  )
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download Navigator layer" }).click(),
  ])
  const layer = JSON.parse(await readFile(await download.path(), "utf8")) as {
    techniques: Array<{ techniqueID: string }>
  }
  const cells = await matrix
    .locator("a[href^='/techniques/']")
    .evaluateAll((as) => new Set(as.map((a) => a.getAttribute("href"))).size)
  expect(layer.techniques.map((t) => t.techniqueID)).toContain("T1047")
  expect(layer.techniques.length).toBeGreaterThanOrEqual(cells)
  await expectAccessible(page)
  await page.goto("/data-sources/crowdstrike-processrollup2/")
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("CrowdStrike ProcessRollup2")
  await expect(page.getByRole("link", { name: "WMIC Remote Process Launch" })).toBeVisible()
  await page.goto("/macros/process_wmic/")
  await expect(page.locator("[data-lang=splunk]")).toContainText("wmic.exe")
  await expect(page.getByRole("link", { name: "WMIC Remote Process Launch" })).toBeVisible()
  await expectAccessible(page)
  expect(problems).toEqual([])
})

test("prose pages render", async ({ page, problems }) => {
  await page.goto("/about/")
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("About Detection Atlas")
  await page.goto("/docs/your-repo/")
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Build the catalog from your own repository")
  await expectAccessible(page)
  expect(problems).toEqual([])
})

test("an unknown address shows the 404 page", async ({ page }) => {
  const response = await page.goto("/no/such/page/")
  expect(response?.status()).toBe(404)
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found")
  await expectAccessible(page)
})

test("report.json accounts for every file", async ({ request }) => {
  const report = await (await request.get("/report.json")).json()
  expect(report.counts.detections).toBeGreaterThanOrEqual(40)
  expect(report.counts.errors).toBe(0)
  expect(report.files.length).toBe(report.counts.files)
})

test("the header is one row at 1440 px; at 390 px its links fold into a Menu that opens without script", async ({
  page,
  problems,
}) => {
  const header = page.getByRole("banner")
  const main = page.getByRole("navigation", { name: "Main" })
  const menu = page.locator("summary", { hasText: /^Menu$/ })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto("/")
  expect((await header.boundingBox())?.height).toBeLessThan(70)
  await expect(main.getByRole("link", { name: "Tester" })).toBeVisible()
  await expect(menu).toBeHidden()
  await expectAccessible(page)

  // A static rule page (almost no script) on a phone: one row of header, the links behind Menu.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto("/rules/splunk/wmic-remote-process-launch/")
  expect((await header.boundingBox())?.height).toBeLessThan(70)
  await expect(main.getByRole("link", { name: "Tester" })).toBeHidden()
  await menu.click()
  await expect(main.getByRole("link", { name: "Indicators" })).toBeVisible()
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
  await expectAccessible(page)
  await main.getByRole("link", { name: "Tester" }).click()
  await expect(page).toHaveURL(/\/tester\/$/)
  expect(problems).toEqual([])
})
