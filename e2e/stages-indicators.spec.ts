import { expect, expectAccessible, test } from "./fixtures"

const RULE = "/rules/splunk/wmic-remote-process-launch/"

test.describe("stages, predicates and indicators", () => {
  test("rule page shows stages with commands and the process_wmic macro expanded", async ({ page, problems }) => {
    await page.goto(RULE)
    const section = page.getByRole("region", { name: "Stages and predicates" })
    await expect(section).toBeVisible()
    const stages = section.getByRole("list", { name: "Pipeline stages" }).getByRole("listitem", { name: /^Stage \d+:/ })
    await expect(stages).toHaveCount(5)
    await expect(stages.nth(0)).toHaveAccessibleName("Stage 1: tstats")
    await expect(stages.nth(1)).toHaveAccessibleName("Stage 2: rename")
    await expect(stages.nth(4)).toHaveAccessibleName("Stage 5: search")
    const macros = stages.nth(0).getByRole("list", { name: "Macros" })
    await expect(macros).toContainText(
      "`process_wmic` → (Processes.process_name=wmic.exe OR Processes.original_file_name=wmic.exe)",
    )
    const tree = stages.nth(0).getByRole("group", { name: "AND: all of" })
    await expect(tree.getByRole("group", { name: "OR: any of" })).toContainText("Processes.process_name=wmic.exe")
    await expect(tree.getByRole("group", { name: "NOT" })).toContainText('Processes.process IN ("*/node:localhost*"')
    await expect(section.getByTestId("evaluability")).toContainText("Evaluable on a single event")
    expect(problems).toEqual([])
  })

  test("indicators table shows wmic.exe and /node: with corpus counts", async ({ page }) => {
    await page.goto(RULE)
    const table = page.getByRole("region", { name: "Indicators" }).getByRole("table")
    await expect(table.getByRole("columnheader")).toHaveText(["Field", "Kind", "Value", "Corpus count"])
    // Rows are by meaning, the rule's own field beside it; counts are across formats.
    await expect(
      table.getByRole("row", { name: /^process name \(process_name\) eq wmic\.exe [1-9]\d*$/ }),
    ).toBeVisible()
    await expect(table.getByRole("row", { name: /^command line \(process\) contains \/node: \d+$/ })).toBeVisible()
  })

  test("an indicator link opens its detail view listing the rule", async ({ page }) => {
    await page.goto(RULE)
    const table = page.getByRole("region", { name: "Indicators" }).getByRole("table")
    await table
      .getByRole("row", { name: /^command line \(process\) contains \/node: / })
      .getByRole("link", { name: "/node:" })
      .click()
    await expect(page).toHaveURL(/\/indicators\/\?field=command-line&kind=contains&value=%2Fnode%3A$/)
    await expect(page.getByRole("heading", { level: 2 })).toHaveText("command line contains /node:")
    await expect(
      page
        .getByRole("list", { name: "Rules with this indicator" })
        .getByRole("link", { name: "WMIC Remote Process Launch" }),
    ).toBeVisible()
  })

  test("typed at speed, every key lands in the value filter and in the address", async ({ page, problems }) => {
    await page.goto("/indicators/")
    await expect(page.getByTestId("indicator-list").getByRole("row").nth(1)).toBeVisible()
    const box = page.getByRole("searchbox", { name: "Value contains" })
    // No delay between keys: each one used to reset the box to the address's previous value.
    await box.pressSequentially("wmic.exe")
    await expect(box).toHaveValue("wmic.exe")
    await expect(page).toHaveURL(/q=wmic\.exe/)
    await expect(page.getByTestId("indicator-list").getByRole("link", { name: "wmic.exe" }).first()).toBeVisible()
    expect(problems).toEqual([])
  })

  test("the indicators list filters by field", async ({ page, problems }) => {
    await page.goto("/indicators/")
    const list = page.getByTestId("indicator-list")
    await expect(list.getByRole("row").nth(1)).toBeVisible()
    await page.getByRole("combobox", { name: "Field" }).selectOption("original-file-name")
    await expect(page).toHaveURL(/field=original-file-name/)
    const cells = list.getByRole("row").locator("td:first-child")
    await expect
      .poll(async () => [...new Set((await cells.allTextContents()).map((t) => t.split(" (")[0]))])
      .toEqual(["original file name"])
    await expect(list.getByRole("link", { name: "wmic.exe" })).toBeVisible()
    expect(problems).toEqual([])
    await expectAccessible(page)
  })
  test("at 390 px an indicator row leads with its value; field, kind and formats follow under it @mobile", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto("/indicators/")
    const list = page.getByTestId("indicator-list")
    await expect(list.getByRole("columnheader", { name: "Field" })).toBeHidden()
    const row = list.getByRole("row").nth(1)
    const value = row.getByRole("link").first()
    await expect(value).toBeVisible()
    // The value's cell has most of the row: a value no longer breaks every few letters.
    expect((await value.locator("xpath=ancestor::td").boundingBox())?.width ?? 0).toBeGreaterThan(220)
    await expect(row).toContainText(/ · (eq|contains|startswith|endswith|re|glob)[^·]* · /)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })
})
