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
  // A type is named with the formats that use it: Splunk's and Sigma's "Correlation" are one value.
  const typeChips = page.getByRole("group", { name: "Type in its format" })
  await typeChips.getByRole("button", { name: /^Splunk, Sigma: Correlation \(4\)$/ }).click()
  await expect(count).toHaveText(/^4 of \d+ rules$/)
  await expect(page).toHaveURL(/type=Correlation/)
  await page.reload()
  await expect(typeChips.getByRole("button", { name: /^Splunk, Sigma: Correlation \(4\)$/ })).toHaveAttribute(
    "aria-pressed",
    "true",
  )
  await expect(count).toHaveText(/^4 of \d+ rules$/)
  await page.getByLabel("Name or technique").fill("risk")
  await expect(page.getByRole("link", { name: "Endpoint Risk Spanning Multiple MITRE Tactics" })).toBeVisible()
  await page.getByRole("link", { name: "Endpoint Risk Spanning Multiple MITRE Tactics" }).click()
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Endpoint Risk Spanning Multiple MITRE Tactics")
  expect(problems).toEqual([])
  await page.goto("/rules/")
  await expectAccessible(page)
})

test("the rule list filters by what a match does, the same words across formats", async ({ page, problems }) => {
  await page.goto("/rules/")
  const count = page.getByTestId("rule-count")
  await expect(count).toHaveText(/^(\d+) of \1 rules$/)
  const total = Number((await count.textContent())!.match(/of ([\d,]+)/)![1]!.replace(/,/g, ""))
  const purpose = page.getByRole("group", { name: "What a match does" })
  // Splunk TTP and Sigma Detection rules alert on their own; Splunk Anomaly feeds other rules.
  const alerts = purpose.getByRole("button", { name: /^Alerts \(\d+\)$/ })
  const feeds = purpose.getByRole("button", { name: /^Feeds other rules \(\d+\)$/ })
  await expect(alerts).toBeVisible()
  await expect(feeds).toBeVisible()
  const n = async (b: typeof alerts) => Number((await b.textContent())!.match(/\((\d+)\)/)![1])
  const chips = await purpose.getByRole("button").allTextContents()
  const sum = chips.reduce((a, t) => a + Number(t.match(/\((\d+)\)/)![1]), 0)
  expect(sum).toBe(total)
  const alerting = await n(alerts)
  await alerts.click()
  await expect(page).toHaveURL(/purpose=alert/)
  await expect(count).toHaveText(new RegExp(`^${alerting.toLocaleString("en")} of `))
  // Every type left is one that alerts: no Anomaly, Hunting or Correlation.
  const types = await page.getByRole("group", { name: "Type in its format" }).getByRole("button").allTextContents()
  expect(types.join(" ")).not.toMatch(/Anomaly|Hunting|Correlation/)
  expect(types.join(" ")).toMatch(/Splunk: TTP/)
  await expectAccessible(page)
  expect(problems).toEqual([])
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

test("the phone Menu closes on Esc (focus back on Menu), on a tap outside and after a link; it opens without script @mobile", async ({
  page,
  browser,
  problems,
}) => {
  const menu = page.locator("details[data-site-menu]")
  const button = menu.locator("summary")
  const links = page.getByRole("navigation", { name: "Main" })
  await page.setViewportSize({ width: 390, height: 844 })
  // A React page and a static rule page (plain HTML and one small script) behave alike.
  for (const path of ["/rules/", "/rules/splunk/wmic-remote-process-launch/"]) {
    await page.goto(path)
    await page.locator("html[data-menu-ready]").waitFor({ state: "attached" })
    await button.click()
    await expect(links.getByRole("link", { name: "Indicators" })).toBeVisible()
    await expectAccessible(page)
    await page.keyboard.press("Escape")
    await expect(links.getByRole("link", { name: "Indicators" })).toBeHidden()
    await expect(button).toBeFocused()

    await button.click()
    await expect(menu).toHaveAttribute("open", "")
    // A tap on the page's heading, outside the menu panel.
    const heading = page.getByRole("heading", { level: 1 })
    const box = (await heading.boundingBox())!
    await page.mouse.click(box.x + 5, box.y + box.height / 2)
    await expect(menu).not.toHaveAttribute("open")

    // Keyboard: Tab out of the open menu closes it.
    await button.focus()
    await page.keyboard.press("Enter")
    await expect(menu).toHaveAttribute("open", "")
    await page.keyboard.press("Shift+Tab")
    await expect(menu).not.toHaveAttribute("open")
  }
  // A client-side navigation from the menu leaves it closed on the next page.
  await page.goto("/rules/")
  await page.locator("html[data-menu-ready]").waitFor({ state: "attached" })
  await button.click()
  await links.getByRole("link", { name: "Stories" }).click()
  await expect(page).toHaveURL(/\/stories\/$/)
  await expect(menu).not.toHaveAttribute("open")
  expect(problems).toEqual([])

  // Without scripts the disclosure still opens and its links work.
  const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } })
  const plain = await noScript.newPage()
  await plain.goto(page.url().replace(/\/stories\/$/, "/rules/splunk/wmic-remote-process-launch/"))
  await plain.locator("details[data-site-menu] summary").click()
  await plain.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Indicators" }).click()
  await expect(plain).toHaveURL(/\/indicators\/$/)
  await noScript.close()
})
