import { expect, expectAccessible, test } from "./fixtures"

test("home page shows the catalog counts @mobile", async ({ page, problems }) => {
  await page.goto("/")
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Detection Atlas")
  await expect(page.getByTestId("count-detection")).toHaveText(/^\d+$/)
  expect(Number(await page.getByTestId("count-detection").textContent())).toBeGreaterThanOrEqual(40)
  expect(problems).toEqual([])
  await expectAccessible(page)
})

test("rule list filters by type and keeps the filter on reload", async ({ page, problems }) => {
  await page.goto("/rules/")
  const count = page.getByTestId("rule-count")
  await expect(count).toHaveText(/^(\d+) of \1 rules$/)
  await page.getByLabel("Type", { exact: true }).selectOption("Correlation")
  await expect(count).toHaveText(/^4 of \d+ rules$/)
  await expect(page).toHaveURL(/type=Correlation/)
  await page.reload()
  await expect(page.getByLabel("Type", { exact: true })).toHaveValue("Correlation")
  await expect(count).toHaveText(/^4 of \d+ rules$/)
  await page.getByLabel("Name contains").fill("risk")
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
