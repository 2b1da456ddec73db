import { readFile } from "node:fs/promises"

import { expect, expectAccessible, test } from "./fixtures"
import { holdScripts } from "./hold-scripts"

test.describe("rule lists", () => {
  test("/rules/ filters with one click, pages, and restores its state on a cold load", async ({
    page,
    problems,
    context,
  }) => {
    await page.goto("/rules/")
    const count = page.getByTestId("rule-count")
    await expect(count).toHaveText(/^(\d+) of \1 rules$/)
    const total = Number(/^(\d+)/.exec((await count.textContent()) ?? "")?.[1])
    // Pages of 50: the catalog holds more, so a second page exists.
    expect(total).toBeGreaterThan(50)
    await expect(page.getByTestId("rule-page")).toHaveText(`Page 1 of ${Math.ceil(total / 50)}`)
    await expect(page.getByTestId("rule-rows").locator("tbody tr")).toHaveCount(50)
    await page.getByRole("button", { name: "Next" }).click()
    await expect(page).toHaveURL(/[?&]page=2/)
    await expect(page.getByTestId("rule-rows").locator("tbody tr")).toHaveCount(total - 50)

    // One click on a facet value filters, and goes back to page 1.
    const sigma = page.getByRole("button", { name: /^Sigma \(\d+\)$/ })
    const sigmaCount = Number(/\((\d+)\)/.exec((await sigma.textContent()) ?? "")?.[1])
    await sigma.click()
    await expect(count).toHaveText(`${sigmaCount} of ${total} rules`)
    await expect(page).toHaveURL(/format=sigma/)
    await expect(page).not.toHaveURL(/page=/)
    const formats = await page.getByTestId("rule-rows").locator("tbody tr td:nth-child(2)").allTextContents()
    expect(new Set(formats)).toEqual(new Set(["Sigma"]))
    await page.getByLabel("Sort by").selectOption("date")
    await expect(page).toHaveURL(/sort=date/)
    const dates = await page.getByTestId("rule-rows").locator("tbody tr td:nth-child(7)").allTextContents()
    expect(dates).toEqual([...dates].sort().reverse())

    // A cold load of the shared address shows the same view.
    const url = page.url()
    const cold = await context.newPage()
    await cold.goto(url)
    await expect(cold.getByTestId("rule-count")).toHaveText(`${sigmaCount} of ${total} rules`)
    await expect(cold.getByRole("button", { name: /^Sigma \(\d+\)$/ })).toHaveAttribute("aria-pressed", "true")
    await expect(cold.getByLabel("Sort by")).toHaveValue("date")
    expect(await cold.getByTestId("rule-rows").locator("tbody tr td:nth-child(7)").allTextContents()).toEqual(dates)

    // Technique ids are links to their pages.
    const technique = page.getByTestId("rule-rows").locator("tbody a[href^='/techniques/']").first()
    const id = (await technique.textContent()) ?? ""
    expect(id).toMatch(/^T\d{4}/)
    await technique.click()
    await expect(page).toHaveURL(new RegExp(`/techniques/${id.toLowerCase()}/$`))
    expect(problems).toEqual([])
  })

  test("exports the filtered rows as CSV and JSON", async ({ page, problems }) => {
    await page.goto("/rules/?type=Correlation")
    await expect(page.getByTestId("rule-count")).toHaveText(/^4 of \d+ rules$/)
    const [csvDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ])
    expect(csvDownload.suggestedFilename()).toBe("rules_type-Correlation.csv")
    const csv = (await readFile(await csvDownload.path(), "utf8")).trimEnd().split("\r\n")
    expect(csv[0]).toBe("name,format,type,level,status,date,techniques,tactics,data_sources,platform,url")
    expect(csv).toHaveLength(5)
    for (const line of csv.slice(1)) expect(line).toMatch(/^"[^"]+","(splunk|sigma)","Correlation",/)
    const [jsonDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export JSON" }).click(),
    ])
    const rows = JSON.parse(await readFile(await jsonDownload.path(), "utf8")) as Array<{
      name: string
      type: string
      url: string
    }>
    expect(rows).toHaveLength(4)
    expect(rows.every((r) => r.type === "Correlation")).toBe(true)
    expect(rows[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rules\/(splunk|sigma)\/[^/]+\/$/)
    expect(new Set(rows.map((r) => r.name))).toEqual(
      new Set(csv.slice(1).map((l) => JSON.parse(l.split('","')[0] + '"'))),
    )
    expect(problems).toEqual([])
  })

  test("a data source page lists its rules from the shared list, filtered in place @mobile", async ({
    page,
    problems,
  }) => {
    await page.goto("/data-sources/sysmon-eventid-1/")
    // As many rules as content/ has reading Sysmon EventID 1 (about twenty): the heading and the list agree.
    const heading = page.getByRole("heading", { level: 2, name: /^Rules that read it \(\d+\)$/ })
    await expect(heading).toBeVisible()
    const total = Number(/\((\d+)\)/.exec((await heading.textContent()) ?? "")?.[1])
    expect(total).toBeGreaterThanOrEqual(20)
    const count = page.getByTestId("rule-count")
    await expect(count).toHaveText(`${total} of ${total} rules`)
    const splunk = page.getByRole("button", { name: /^Splunk \(\d+\)$/ })
    // On a phone the facets fold behind one button, so the first rule is near the list's top.
    const filters = page.getByRole("button", { name: /^Filters/ })
    if ((page.viewportSize()?.width ?? 0) < 768) {
      await expect(splunk).toBeHidden()
      await filters.click()
      await expect(filters).toHaveAttribute("aria-expanded", "true")
    } else await expect(filters).toBeHidden()
    const n = Number(/\((\d+)\)/.exec((await splunk.textContent()) ?? "")?.[1])
    expect(n).toBeGreaterThan(0)
    expect(n).toBeLessThan(total)
    await splunk.click()
    await expect(count).toHaveText(`${n} of ${total} rules`)
    await page.reload()
    await expect(count).toHaveText(`${n} of ${total} rules`)
    if ((page.viewportSize()?.width ?? 0) < 768) await expect(filters).toHaveText("Filters (1 on)")
    // The YAML's fields, add-ons and example event come before the rule list.
    await expect(page.getByRole("heading", { level: 2, name: /^Fields \(\d+\)$/ })).toBeVisible()
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("technique and tactic pages carry the same list", async ({ page, problems }) => {
    await page.goto("/techniques/t1047/")
    const list = page.getByTestId("rule-table")
    await expect(list.getByRole("link", { name: "WMIC Remote Process Launch" }).first()).toBeVisible()
    await expect(list.getByTestId("rule-count")).toHaveText(/^(\d+) of \1 rules$/)
    await page.goto("/tactics/execution/")
    await expect(page.getByRole("heading", { level: 2, name: /^Rules \(\d+\)$/ })).toBeVisible()
    await expect(page.getByTestId("rule-count")).toHaveText(/^(\d+) of \1 rules$/)
    // The tactic page does not offer its own tactic as a filter.
    await expect(page.getByLabel("Tactic")).toHaveCount(0)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })
  test("text typed into the name filter before the page hydrates is kept, beside the address's filters", async ({
    page,
    problems,
  }) => {
    // The page's scripts are held until the reader has typed, as on a slow phone: React hydrates a box
    // that already holds text.
    const scripts = holdScripts(page)
    await scripts.held
    await page.goto("/rules/?type=TTP", { waitUntil: "domcontentloaded" })
    await page.getByLabel("Name or technique").fill("WMIC Remote")
    scripts.release()
    await expect(page.getByRole("link", { name: "WMIC Remote Process Launch" }).first()).toBeVisible()
    await expect(page.getByLabel("Name or technique")).toHaveValue("WMIC Remote")
    await expect(page).toHaveURL(/q=WMIC\+Remote/)
    await expect(page).toHaveURL(/type=TTP/)
    expect(problems).toEqual([])
  })
})
