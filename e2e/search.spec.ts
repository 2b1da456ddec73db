import { expect, expectAccessible, test } from "./fixtures"
import { holdScripts } from "./hold-scripts"

const RULE = "/rules/splunk/wmic-remote-process-launch/"

test.describe("search", () => {
  test("/search-index.json is served, fetched only on a sign of intent (never while a page idles), and ids only for an id", async ({
    page,
    browser,
    request,
    problems,
  }) => {
    const res = await request.get("/search-index.json")
    expect(res.status()).toBe(200)
    const body = (await res.json()) as { rules: { name: string[]; id: string[] }; idsApart: boolean }
    expect(body.rules.name.length).toBeGreaterThan(0)
    expect(body.idsApart).toBe(true)
    expect(body.rules.id).toEqual([])
    const ids = (await (await request.get("/search-ids.json")).json()) as { ids: string[] }
    expect(ids.ids.length).toBe(body.rules.name.length)
    for (const path of [RULE, "/"]) {
      // A first visit each (a later one loads the index an earlier one saved, with no request).
      const ctx = await browser.newContext()
      const p = path === RULE ? page : await ctx.newPage()
      const fetched: string[] = []
      p.on("request", (r) => fetched.push(r.url()))
      p.on("pageerror", (e) => problems.push(`page error: ${e.message}`))
      p.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`))
      await p.goto(path)
      // A reader who never searches: the page loads, idles, and the index stays on the server.
      await p.waitForLoadState("networkidle")
      await p.waitForTimeout(2500)
      expect(
        fetched.filter((u) => u.includes("search-index.json")),
        path,
      ).toEqual([])
      // The pointer on the search button is enough to start it.
      const started = p.waitForRequest(/search-index\.json/)
      await p.getByRole("button", { name: "Search" }).hover()
      await started
      await p.waitForLoadState("networkidle")
      expect(fetched.filter((f) => f.includes("search-ids.json"))).toEqual([])
      await ctx.close()
    }
    expect(problems).toEqual([])
  })

  test("on a phone a finger on the header starts loading the index; nothing before @mobile", async ({
    browser,
    problems,
  }) => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true })
    const phone = await ctx.newPage()
    const fetched: string[] = []
    phone.on("request", (r) => fetched.push(r.url()))
    await phone.goto("/")
    await phone.waitForLoadState("networkidle")
    await phone.waitForTimeout(2500)
    expect(fetched.filter((u) => u.includes("search-index.json"))).toEqual([])
    const started = phone.waitForRequest(/search-index\.json/)
    // The Menu button, not the search button: touching anything in the header is the sign.
    await phone.locator("header summary", { hasText: "Menu" }).tap()
    await started
    await ctx.close()
    expect(problems).toEqual([])
  })

  for (const [where, path] of [
    ["the home page", "/"],
    ["a rule page", RULE],
  ] as const) {
    for (const delay of [0, 40]) {
      test(`on ${where}, / then winrs typed at ${delay} ms a key on a cold load: every key lands and the WinRS rule is listed${delay === 0 ? " @mobile" : ""}`, async ({
        page,
        problems,
      }) => {
        // Fresh context: no cached index, the palette script not loaded; keys go as soon as the DOM is parsed.
        await page.goto(path, { waitUntil: "domcontentloaded" })
        await page.keyboard.press("/")
        await page.keyboard.type("winrs", { delay })
        const dialog = page.getByRole("dialog", { name: "Search" })
        await expect(dialog).toBeVisible()
        const box = dialog.getByRole("combobox", { name: "Search rules and indicators" })
        await expect(box).toBeFocused()
        await expect(box).toHaveValue("winrs")
        await expect(dialog.getByRole("option").first()).toContainText("WinRS Remote Command Execution")
        expect(problems).toEqual([])
      })
    }
  }

  test("Escape closes the palette and returns focus to where it was", async ({ page, problems }) => {
    await page.goto("/")
    const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Rules" })
    await link.focus()
    await page.keyboard.press("/")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await expect(dialog).toBeVisible()
    await page.keyboard.type("wmic")
    await expect(dialog.getByRole("option").first()).toBeVisible()
    await page.keyboard.press("Escape")
    await expect(dialog).toBeHidden()
    await expect(link).toBeFocused()
    // The button opens it too, and focus goes back to the button.
    const button = page.getByRole("button", { name: "Search" })
    await button.click()
    await expect(dialog).toBeVisible()
    await expect(dialog.getByRole("combobox")).toHaveValue("wmic")
    await page.keyboard.press("Escape")
    await expect(button).toBeFocused()
    expect(problems).toEqual([])
  })

  for (const path of ["/", RULE]) {
    test(`at 390 px the palette fits the screen on ${path}: nothing cut, no sideways scroll added @mobile`, async ({
      page,
      problems,
    }) => {
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(path)
      const before = await page.evaluate(() => document.documentElement.scrollWidth)
      await page.keyboard.press("/")
      await page.keyboard.type("indicator:wmic.exe")
      const dialog = page.getByRole("dialog", { name: "Search" })
      await expect(dialog.getByRole("option").nth(1)).toBeVisible()
      const fit = await page.evaluate(() => {
        const d = document.getElementById("atlas-search") as HTMLElement
        const r = d.getBoundingClientRect()
        const options = [...d.querySelectorAll('[role="option"]')].map((o) => o.getBoundingClientRect())
        return {
          left: r.left,
          right: r.right,
          view: window.innerWidth,
          inner: d.scrollWidth - d.clientWidth,
          options: options.every((o) => o.left >= r.left && o.right <= r.right),
          doc: document.documentElement.scrollWidth,
        }
      })
      expect(fit.left).toBeGreaterThanOrEqual(0)
      expect(fit.right).toBeLessThanOrEqual(fit.view)
      expect(fit.inner).toBe(0)
      expect(fit.options).toBe(true)
      expect(fit.doc).toBe(before)
      expect(problems).toEqual([])
    })
  }

  test("a misspelt word shows what it searched instead; a bare word lists rules before indicator pages", async ({
    page,
    problems,
  }) => {
    await page.goto("/")
    await page.keyboard.press("/")
    await page.keyboard.type("winrss")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await expect(dialog).toContainText("Showing results for winrs")
    await expect(dialog.getByRole("option").first()).toContainText("WinRS Remote Command Execution")
    await dialog.getByRole("combobox").fill("wmic.exe")
    await expect(dialog.getByRole("option").first()).toContainText("indicator page")
    await dialog.getByRole("combobox").fill("wmic")
    await expect(dialog.getByRole("option").first()).not.toContainText("indicator page")
    expect(problems).toEqual([])
  })

  test("/ opens the palette from a rule page; winrs finds the winrs rule first @mobile", async ({ page, problems }) => {
    await page.goto(RULE)
    const dialog = page.getByRole("dialog", { name: "Search" })
    await page.keyboard.press("/")
    await expect(dialog).toBeVisible()
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

  test("Ctrl-K opens the palette; keyboard only: arrows, Enter opens the rule, Escape closes", async ({
    page,
    problems,
  }) => {
    await page.goto("/")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await page.keyboard.press("Control+k")
    await expect(dialog).toBeVisible()
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
    await page.keyboard.press("/")
    await expect(dialog).toBeVisible()
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
    await page.keyboard.press("/")
    await expect(dialog).toBeVisible()
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

  test("Sigma rules are found by format, name and CommandLine value; ids load only for an id", async ({
    page,
    problems,
  }) => {
    const fetched: string[] = []
    page.on("request", (r) => fetched.push(r.url()))
    await page.goto("/search/?q=format%3Asigma")
    const results = page.getByRole("list", { name: "Results" })
    await expect(results).toContainText("WMIC Starts a Process on Another Host")
    await expect(results.getByRole("listitem").first()).toContainText("sigma")
    const box = page.getByRole("searchbox", { name: "Search rules and indicators" })
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
    const box = page.getByRole("searchbox", { name: "Search rules and indicators" })
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
    await expect(
      page.getByRole("group", { name: "Tactic" }).getByRole("checkbox", { name: /^execution/ }),
    ).toBeChecked()
    await expect(page.getByRole("searchbox", { name: "Search rules and indicators" })).toHaveValue("process")
    await expect(count).toHaveText(`${after} ${after === 1 ? "rule" : "rules"}`)
    expect(problems).toEqual([])
  })

  test("text typed into /search/'s box before the page hydrates is kept and searched, beside the address's facets", async ({
    page,
    problems,
  }) => {
    // The page's scripts are held until the reader has typed, as on a slow phone: React hydrates a box
    // that already holds text.
    const scripts = holdScripts(page)
    await scripts.held
    await page.goto("/search/?format=splunk", { waitUntil: "domcontentloaded" })
    const box = page.getByRole("searchbox", { name: "Search rules and indicators" })
    await box.pressSequentially("winrs", { timeout: 5_000 })
    scripts.release()
    const results = page.getByRole("list", { name: "Results" })
    await expect(results.getByRole("link").first()).toContainText("WinRS Remote Command Execution")
    await expect(box).toHaveValue("winrs")
    await expect(page).toHaveURL(/q=winrs/)
    await expect(page).toHaveURL(/format=splunk/)
    expect(problems).toEqual([])
  })

  test("the header links to /search/ and the page is keyboard usable", async ({ page, problems }) => {
    await page.goto("/")
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Search" }).click()
    await expect(page).toHaveURL(/\/search\/$/)
    const box = page.getByRole("searchbox", { name: "Search rules and indicators" })
    await box.focus()
    await page.keyboard.type("technique:T1047")
    const results = page.getByRole("list", { name: "Results" })
    await expect(results.getByRole("listitem").first()).toBeVisible()
    await page.keyboard.press("Tab")
    await expect(page.getByRole("checkbox").first()).toBeFocused()
    await expectAccessible(page)
    expect(problems).toEqual([])
  })
  test("at 390 px the first result shows above the fold and the filters open from Filters @mobile", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto("/search/?q=wmic")
    const first = page.getByRole("list", { name: "Results" }).getByRole("listitem").first()
    await expect(first).toBeVisible()
    expect((await first.boundingBox())?.y).toBeLessThan(844)
    const tactic = page.getByRole("group", { name: "Tactic" }).getByRole("checkbox").first()
    await expect(tactic).toBeHidden()
    await page.getByText("Filters", { exact: true }).click()
    await tactic.check()
    await expect(page.getByText(/^Filters \(1 selected\)$/)).toBeVisible()
    await expectAccessible(page)
    expect(problems).toEqual([])
  })
})
