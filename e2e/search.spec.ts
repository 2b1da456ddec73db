import { expect, expectAccessible, test } from "./fixtures"

const RULE = "/rules/splunk/wmic-remote-process-launch/"

test.describe("search", () => {
  test("/search-index.json is served and is not loaded with a page", async ({ page, request, problems }) => {
    const res = await request.get("/search-index.json")
    expect(res.status()).toBe(200)
    const body = (await res.json()) as { rules: { name: string[]; id: string[] }; idsApart: boolean }
    expect(body.rules.name.length).toBeGreaterThan(0)
    expect(body.idsApart).toBe(true)
    expect(body.rules.id).toEqual([])
    const ids = (await (await request.get("/search-ids.json")).json()) as { ids: string[] }
    expect(ids.ids.length).toBe(body.rules.name.length)
    const fetched: string[] = []
    page.on("request", (r) => fetched.push(r.url()))
    await page.goto(RULE)
    await page.waitForLoadState("networkidle")
    expect(fetched.filter((u) => u.includes("search-index.json") || u.includes("search-ids.json") || u.includes("worker"))).toEqual([])
    expect(problems).toEqual([])
  })

  test("/ opens the palette from a rule page; winrs finds the winrs rule first @mobile", async ({ page, problems }) => {
    await page.goto(RULE)
    const dialog = page.getByRole("dialog", { name: "Search" })
    // The shortcut works once the page is hydrated: press again until it does.
    await expect(async () => {
      await page.keyboard.press("/")
      await expect(dialog).toBeVisible({ timeout: 1000 })
    }).toPass()
    const box = dialog.getByRole("combobox", { name: "Search rules and indicators" })
    await expect(box).toBeFocused()
    await box.fill("winrs")
    const first = dialog.getByRole("option").first()
    await expect(first).toContainText("WinRS Remote Command Execution")
    await expect(first).toContainText("name")
    await expect(first.locator("mark").first()).toHaveText(/winrs/i)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("Ctrl-K opens the palette; keyboard only: arrows, Enter opens the rule, Escape closes", async ({ page, problems }) => {
    await page.goto("/")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await expect(async () => {
      await page.keyboard.press("Control+k")
      await expect(dialog).toBeVisible({ timeout: 1000 })
    }).toPass()
    await page.keyboard.type("wmic")
    const options = dialog.getByRole("option")
    await expect(options.nth(1)).toBeVisible()
    await expect(options.first()).toHaveAttribute("aria-selected", "true")
    await page.keyboard.press("ArrowDown")
    await expect(options.nth(1)).toHaveAttribute("aria-selected", "true")
    await page.keyboard.press("ArrowUp")
    await expect(options.first()).toHaveAttribute("aria-selected", "true")
    await page.keyboard.press("Escape")
    await expect(dialog).toBeHidden()
    // Focus returns to the page after the dialog closes; on a loaded machine that can lag a key press.
    await expect(async () => {
      await page.keyboard.press("/")
      await expect(dialog).toBeVisible({ timeout: 1000 })
    }).toPass()
    await expect(dialog.getByRole("combobox")).toHaveValue("wmic")
    const name = (await options.first().locator("span.font-medium").first().textContent()) ?? ""
    await page.keyboard.press("Enter")
    await expect(page).toHaveURL(/\/rules\/splunk\/[a-z0-9-]+\/$/)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(name)
    expect(problems).toEqual([])
  })

  test("in the palette, Enter on an exact indicator value opens the indicator page", async ({ page, problems }) => {
    await page.goto("/")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await expect(async () => {
      await page.keyboard.press("/")
      await expect(dialog).toBeVisible({ timeout: 1000 })
    }).toPass()
    await page.keyboard.type("winrs.exe")
    await expect(dialog.getByRole("option").first()).toContainText("indicator page")
    await expect(dialog.getByRole("option").first()).toHaveAttribute("aria-selected", "true")
    await page.keyboard.press("Enter")
    await expect(page).toHaveURL(/\/indicators\/\?field=[a-z_]+&kind=eq&value=winrs.exe/)
    await expect(dialog).toBeHidden()
    expect(problems).toEqual([])
  })

  test("indicator:wmic.exe lists the WMI rules, Splunk and Sigma", async ({ page, problems }) => {
    await page.goto("/search/?q=indicator%3Awmic.exe")
    const results = page.getByRole("list", { name: "Results" })
    await expect(results.getByRole("listitem")).toHaveCount(3)
    await expect(results).toContainText("WMIC Remote Process Launch")
    await expect(results).toContainText("Shadow Copy Removal")
    await expect(results).toContainText("WMIC Starts a Process on Another Host")
    await expect(results.locator("mark").first()).toHaveText(/wmic\.exe/i)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("Sigma rules are found by format, name and CommandLine value; ids load only for an id", async ({ page, problems }) => {
    const fetched: string[] = []
    page.on("request", (r) => fetched.push(r.url()))
    await page.goto("/search/?q=format%3Asigma")
    const results = page.getByRole("list", { name: "Results" })
    await expect(results).toContainText("WMIC Starts a Process on Another Host")
    await expect(results.getByRole("listitem").first()).toContainText("sigma")
    const box = page.getByLabel("Search rules and indicators")
    await box.fill("wmic starts")
    await expect(results.getByRole("listitem").first()).toContainText("WMIC Starts a Process on Another Host")
    await box.fill("indicator:/node:")
    const sigma = results.getByRole("listitem").filter({ hasText: "WMIC Starts a Process on Another Host" })
    await expect(sigma).toContainText("CommandLine contains")
    await expect(sigma.locator("mark").first()).toHaveText("/node:")
    expect(fetched.filter((u) => u.includes("search-ids.json"))).toEqual([])
    await box.fill("e270df84-32f8-45b6-b679-e9c2dd1d3ede")
    await expect(results.getByRole("listitem")).toHaveCount(1)
    await expect(results.getByRole("listitem").first()).toContainText("WMIC Starts a Process on Another Host")
    expect(fetched.filter((u) => u.includes("search-ids.json")).length).toBe(1)
    expect(problems).toEqual([])
  })

  test("an exact indicator value lands on the indicator page", async ({ page, problems }) => {
    await page.goto("/search/")
    const box = page.getByLabel("Search rules and indicators")
    await box.fill("winrs.exe")
    await expect(page.getByText("This is an indicator value of the catalog")).toBeVisible()
    await box.press("Enter")
    await expect(page).toHaveURL(/\/indicators\/\?field=[a-z_]+&kind=eq&value=winrs.exe/)
    await expect(page.getByRole("link", { name: "WinRS Remote Command Execution" }).first()).toBeVisible()
    expect(problems).toEqual([])
  })

  test("a facet click narrows the results and survives reload", async ({ page, problems }) => {
    await page.goto("/search/?q=process")
    const count = page.getByText(/^\d+ rules?$/)
    await expect(count).toBeVisible()
    const before = Number((await count.textContent())?.split(" ")[0])
    const facet = page.getByRole("group", { name: "Tactic" }).getByRole("checkbox", { name: /^execution/ })
    await facet.check()
    await expect(page).toHaveURL(/tactic=execution/)
    await expect(count).not.toHaveText(`${before} rules`)
    const after = Number((await count.textContent())?.split(" ")[0])
    expect(after).toBeGreaterThan(0)
    expect(after).toBeLessThan(before)
    await page.reload()
    await expect(page.getByRole("group", { name: "Tactic" }).getByRole("checkbox", { name: /^execution/ })).toBeChecked()
    await expect(page.getByLabel("Search rules and indicators")).toHaveValue("process")
    await expect(count).toHaveText(`${after} ${after === 1 ? "rule" : "rules"}`)
    expect(problems).toEqual([])
  })

  test("the header links to /search/ and the page is keyboard usable", async ({ page, problems }) => {
    await page.goto("/")
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click()
    await expect(page).toHaveURL(/\/search\/$/)
    const box = page.getByLabel("Search rules and indicators")
    await box.focus()
    await page.keyboard.type("technique:T1047")
    const results = page.getByRole("list", { name: "Results" })
    await expect(results.getByRole("listitem").first()).toBeVisible()
    await page.keyboard.press("Tab")
    await expect(page.getByRole("checkbox").first()).toBeFocused()
    await expectAccessible(page)
    expect(problems).toEqual([])
  })
})
