import { readFile } from "node:fs/promises"

import { expect, expectAccessible, test } from "./fixtures"
import { holdScripts } from "./hold-scripts"

/** Rule count shown by the matrix summary: "<rules> rules · <techniques> techniques covered". */
async function summary(page: import("@playwright/test").Page) {
  const text = (await page.getByTestId("matrix-summary").textContent()) ?? ""
  const m = /^([\d,]+) rules · ([\d,]+) techniques covered$/.exec(text.trim())
  expect(m, text).not.toBeNull()
  return { rules: Number(m?.[1]?.replaceAll(",", "")), techniques: Number(m?.[2]?.replaceAll(",", "")) }
}

test.describe("ATT&CK matrix", () => {
  test("all 14 tactics fit a 1440×900 window; no count is cut; a cell shows its detail on focus", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto("/attack/")
    const tactics = page.getByTestId("matrix-tactic")
    await expect(tactics).toHaveCount(14)
    for (const box of await tactics.evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect),
    )) {
      expect(box.right).toBeLessThanOrEqual(1440)
      expect(box.width).toBeGreaterThan(60)
    }
    // Their headings start within the first screen.
    expect((await tactics.first().boundingBox())?.y ?? 900).toBeLessThan(900)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440)
    // Every count is drawn whole inside its cell.
    const cut = await page.locator("[data-testid^=cell-T]:visible").evaluateAll((cells) =>
      cells.flatMap((c) => {
        const n = c.querySelector("[data-testid=cell-count]")
        if (!n) return [`${c.dataset.cell}: no count`]
        const a = c.getBoundingClientRect()
        const b = n.getBoundingClientRect()
        return b.left >= a.left &&
          b.right <= a.right + 0.5 &&
          b.top >= a.top &&
          b.bottom <= a.bottom + 0.5 &&
          n.scrollWidth <= n.clientWidth + 1
          ? []
          : [c.dataset.cell]
      }),
    )
    expect(cut).toEqual([])
    await page.getByTestId("cell-T1059").first().focus()
    await expect(page.getByTestId("cell-detail")).toContainText("Command and Scripting Interpreter")
    await expect(page.getByTestId("cell-detail")).toContainText(/\d+ rules?/)
    expect(problems).toEqual([])
  })

  test("on a phone, one tactic at a time, chosen in a list kept in the URL @mobile", async ({ page, problems }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto("/attack/")
    await expect(page.getByTestId("matrix-tactic").filter({ visible: true })).toHaveCount(1)
    await page.getByLabel("Tactic", { exact: true }).selectOption("execution")
    await expect(page).toHaveURL(/tactic=execution/)
    const shown = page.getByTestId("matrix-tactic").filter({ visible: true })
    await expect(shown).toHaveCount(1)
    await expect(shown.getByRole("heading", { level: 2 })).toContainText("Execution")
    await expect(shown.getByTestId("cell-T1059")).toContainText("Command and Scripting Interpreter")
    await page.reload()
    await expect(
      page.getByTestId("matrix-tactic").filter({ visible: true }).getByRole("heading", { level: 2 }),
    ).toContainText("Execution")
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("shows shaded cells; a filter changes the counts and survives reload", async ({ page, problems }) => {
    await page.goto("/attack/")
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("ATT&CK matrix")
    const wmi = page.getByTestId("cell-T1047").first()
    await expect(wmi).toBeVisible()
    await expect(page.getByTestId("matrix-legend")).toBeVisible()
    expect(Number(await wmi.getAttribute("data-count"))).toBeGreaterThanOrEqual(1)
    const all = await summary(page)
    expect(all.techniques).toBeGreaterThan(10)

    await page.getByLabel("Type in its format", { exact: true }).selectOption("Correlation")
    await expect(page).toHaveURL(/type=Correlation/)
    await expect(wmi).toHaveAttribute("data-count", "0")
    await expect(page.getByTestId("cell-T1078").first()).not.toHaveAttribute("data-count", "0")
    const filtered = await summary(page)
    // Three Splunk correlation searches and one Sigma correlation rule.
    expect(filtered.rules).toBe(4)
    expect(filtered.techniques).toBeLessThan(all.techniques)

    await page.reload()
    await expect(page.getByLabel("Type in its format", { exact: true })).toHaveValue("Correlation")
    await expect(page.getByTestId("cell-T1047").first()).toHaveAttribute("data-count", "0")
    expect(await summary(page)).toEqual(filtered)
    expect(problems).toEqual([])
  })

  test("a cell opens its technique page with the rules mapping it", async ({ page, problems }) => {
    await page.goto("/attack/")
    await page.getByTestId("cell-T1047").first().click()
    await expect(page).toHaveURL(/\/techniques\/t1047\/$/)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Windows Management Instrumentation")
    await expect(
      page.getByTestId("rule-table").getByRole("link", { name: "WMIC Remote Process Launch" }).first(),
    ).toBeVisible()
    await expect(page.getByTestId("technique-tactics").getByRole("link", { name: "Execution" })).toHaveAttribute(
      "href",
      "/tactics/execution/",
    )
    await expect(page.getByTestId("technique-events")).toContainText("Sysmon")
    await expect(page.getByTestId("log-source-match").first()).toBeVisible()
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("the Navigator layer has one entry per covered technique, score = rule count", async ({ page, problems }) => {
    await page.goto("/attack/")
    await expect(page.getByTestId("cell-T1047").first()).toBeVisible()
    const { techniques } = await summary(page)
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Navigator layer" }).click(),
    ])
    const path = await download.path()
    const layer = JSON.parse(await readFile(path, "utf8"))
    expect(layer.versions.layer).toBe("4.5")
    expect(layer.domain).toBe("enterprise-attack")
    expect(typeof layer.name).toBe("string")
    expect(layer.techniques).toHaveLength(techniques)
    const direct = await page.$$eval("[data-testid^=cell-T]", (cells) =>
      Object.fromEntries(
        cells.map((c) => [c.getAttribute("data-testid")?.slice(5) ?? "", Number(c.getAttribute("data-direct"))]),
      ),
    )
    for (const t of layer.techniques as Array<{
      techniqueID: string
      score: number
      links: Array<{ url: string }>
      comment: string
    }>) {
      expect(t.score, t.techniqueID).toBe(direct[t.techniqueID])
      expect(t.links).toHaveLength(t.score)
      expect(t.links[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/rules\//)
    }
    const wmi = layer.techniques.find((t: { techniqueID: string }) => t.techniqueID === "T1047")
    expect(wmi.comment).toContain("WMIC Remote Process Launch")
    expect(problems).toEqual([])
  })

  test("technique page exports its own layer; rule pages link technique pages", async ({ page, problems }) => {
    await page.goto("/techniques/t1047/")
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Navigator layer" }).click(),
    ])
    const layer = JSON.parse(await readFile(await download.path(), "utf8"))
    expect(layer.techniques.map((t: { techniqueID: string }) => t.techniqueID)).toContain("T1047")
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    await page
      .getByTestId("attack-table")
      .getByRole("link", { name: /T1047 Windows Management Instrumentation/ })
      .click()
    await expect(page).toHaveURL(/\/techniques\/t1047\/$/)
    await page.goto("/tactics/execution/")
    await expect(
      page.getByTestId("tactic-techniques").getByRole("link", { name: /T1047 Windows Management Instrumentation/ }),
    ).toBeVisible()
    await page.goto("/")
    await expect(page.getByTestId("heat-strip").getByRole("link")).toHaveCount(14)
    await page.getByRole("link", { name: "Open the ATT&CK matrix" }).click()
    await expect(page).toHaveURL(/\/attack\/$/)
    expect(problems).toEqual([])
  })

  test("a sub-technique page opens from its address, with or without the trailing slash", async ({
    page,
    problems,
  }) => {
    await page.goto("/techniques/t1021.006/")
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Windows Remote Management")
    await page.goto("/techniques/t1021.006")
    await expect(page).toHaveURL(/\/techniques\/t1021\.006\/$/)
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Windows Remote Management")
    expect(problems).toEqual([])
  })

  test("matrix and tactic pages are accessible", async ({ page, problems }) => {
    // axe walks every one of the matrix's ~700 cells.
    test.slow()
    await page.goto("/attack/")
    await expect(page.getByTestId("cell-T1047").first()).toBeVisible()
    await expectAccessible(page)
    await page.goto("/tactics/lateral-movement/")
    await expectAccessible(page)
    await page.goto("/tactics/")
    await expect(page.getByTestId("heat-strip").getByRole("link")).toHaveCount(14)
    await page
      .getByTestId("heat-strip")
      .getByRole("link", { name: /Lateral Movement/ })
      .click()
    await expect(page).toHaveURL(/\/tactics\/lateral-movement\/$/)
    await page.goto("/tactics/")
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("a filter chosen before the page hydrates is kept, beside the address's filters", async ({ page, problems }) => {
    const scripts = holdScripts(page)
    await scripts.held
    await page.goto("/attack/?status=production", { waitUntil: "domcontentloaded" })
    await page.locator("select#matrix-format").selectOption("sigma")
    scripts.release()
    await expect(page).toHaveURL(/format=sigma/)
    await expect(page).toHaveURL(/status=production/)
    await expect(page.locator("select#matrix-format")).toHaveValue("sigma")
    await expect(page.locator("select#matrix-status")).toHaveValue("production")
    expect(problems).toEqual([])
  })
})
