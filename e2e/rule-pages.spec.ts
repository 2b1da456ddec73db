import { THEME_SCRIPT } from "../components/layout/theme"

import { expect, expectAccessible, test } from "./fixtures"

/** One rule per schema generation from the embedded content/. */
test.describe("rule pages", () => {
  test("2026 finding rule: WMI remote launch @mobile", async ({ page, problems }) => {
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Remote Process Launch")
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Detection rules")
    const attack = page.getByTestId("attack-table")
    await expect(
      attack.getByRole("row", { name: /Execution\s+T1047 Windows Management Instrumentation/ }),
    ).toBeVisible()
    const events = page.getByTestId("event-table")
    // On a phone the provider and event columns are hidden: the data source's name says both.
    const phone = (page.viewportSize()?.width ?? 0) < 640
    const row = (provider: string, event: string, title: string, source: string) =>
      events.getByRole("row", {
        name: new RegExp(`${phone ? "" : `${provider}\\s+${event}\\s+`}${title}\\s+${source}`),
      })
    await expect(row("Sysmon", "Event ID 1", "Process creation", "Sysmon EventID 1")).toBeVisible()
    await expect(
      row("Security-Auditing", "Event ID 4688", "A new process has been created\\.", "Windows Event Log Security 4688"),
    ).toBeVisible()
    await expect(row("CrowdStrike", "ProcessRollup2", "Process creation", "CrowdStrike ProcessRollup2")).toBeVisible()
    const risk = page.getByTestId("risk")
    await expect(page.getByTestId("risk-score")).toHaveText("56")
    await expect(risk.getByRole("row", { name: /dest\s+risk object\s+system\s+56\s+finding/ })).toBeVisible()
    await expect(
      risk.getByRole("row", { name: /user\s+risk object\s+user\s+\d+\s+intermediate findings/ }),
    ).toBeVisible()
    await expect(risk.locator("mark").first()).toHaveText(/^\$\w+\$$/)
    await expect(page.getByTestId("metadata")).toContainText("a6b7e983-fccc-431a-be0f-81a745da237e")
    await expect(page.locator("[data-lang=yaml] .shiki")).toContainText("finding:")
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("2024 tags rule: PowerShell Invoke-Command script block", async ({ page, problems }) => {
    await page.goto("/rules/splunk/powershell-invoke-command-remote-execution-scriptblock/")
    await expect(
      page
        .getByTestId("attack-table")
        .getByRole("row", { name: /Lateral Movement\s+T1021\.006 Remote Services: Windows Remote Management/ }),
    ).toBeVisible()
    await expect(
      page
        .getByTestId("event-table")
        .getByRole("row", { name: /PowerShell\s+Event ID 4104\s+Creating Scriptblock text/ }),
    ).toBeVisible()
    await expect(page.getByTestId("risk")).toContainText("impact 90 × confidence 50 / 100")
    await expect(page.getByTestId("risk-score")).toHaveText("45")
    expect(problems).toEqual([])
  })

  test("2025 rba rule: LSASS handle", async ({ page, problems }) => {
    await page.goto("/rules/splunk/lsass-handle-opened-with-memory-read-rights/")
    await expect(
      page.getByTestId("attack-table").getByRole("row", { name: /Credential Access\s+T1003\.001/ }),
    ).toBeVisible()
    await expect(
      page.getByTestId("event-table").getByRole("row", { name: /Sysmon\s+Event ID 10\s+ProcessAccess/ }),
    ).toBeVisible()
    await expect(page.getByTestId("risk-score")).toHaveText("64")
    await expect(page.getByTestId("risk-entities").getByRole("row")).not.toHaveCount(1)
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("copy button copies the rule body", async ({ page, context }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"])
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    await page.locator("[data-lang=yaml]").getByRole("button", { name: "Copy" }).click()
    await expect(page.locator("[data-lang=yaml]").getByRole("button")).toHaveText("Copied")
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain("name: WMIC Remote Process Launch")
  })
})

/** Rule pages are plain HTML written after `next build` (scripts/rule-pages/), not Next routes. */
test.describe("static rule pages", () => {
  test("load one small module script and none of the framework's", async ({ page, problems }) => {
    const scripts: Array<{ path: string; bytes: Promise<number>; afterLoad: boolean }> = []
    let loaded = false
    page.on("load", () => (loaded = true))
    page.on("response", (r) => {
      const type = r.request().resourceType()
      if (type === "script" || (type === "other" && r.url().endsWith(".js")))
        scripts.push({ path: new URL(r.url()).pathname, bytes: r.body().then((b) => b.length), afterLoad: loaded })
    })
    await page.goto("/rules/sigma/proc-creation-win-wmic-remote-process-create/")
    await page.waitForLoadState("networkidle")
    const first = scripts.filter((s) => !s.afterLoad)
    expect(first.map((s) => s.path)).toEqual([
      expect.stringMatching(/^\/_atlas\/rule-island-\w+\.js$/),
      expect.stringMatching(/^\/_atlas\/chunk-\w+\.js$/),
    ])
    // The palette and the search worker come once the page has loaded and is idle, never with it.
    expect(scripts.filter((s) => s.afterLoad).map((s) => s.path)).toContainEqual(
      expect.stringMatching(/^\/_atlas\/search\.worker-\w+\.js$/),
    )
    const total = (await Promise.all(first.map((s) => s.bytes))).reduce((a, b) => a + b, 0)
    expect(total).toBeLessThan(5_000)
    // The one inline script is the theme's, which must run before paint.
    expect(await page.locator("script:not([src])").allTextContents()).toEqual([THEME_SCRIPT])
    await expect(page).toHaveTitle("WMIC Starts a Process on Another Host · Detection Atlas")
    expect(problems).toEqual([])
  })

  test("the palette opened on a rule page opens another rule page with Enter", async ({ page, problems }) => {
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await page.getByRole("button", { name: /^Search/ }).click()
    await expect(dialog).toBeVisible()
    await dialog.getByRole("combobox", { name: "Search rules and indicators" }).fill("winrs")
    await expect(dialog.getByRole("option").first()).toContainText("WinRS Remote Command Execution")
    await page.keyboard.press("Enter")
    await expect(page).toHaveURL(/\/rules\/\w+\/[\w-]*winrs[\w-]*\/$/)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WinRS Remote Command Execution")
    expect(problems).toEqual([])
  })
})

test.describe("permalinks by rule id", () => {
  const id = "a6b7e983-fccc-431a-be0f-81a745da237e"

  for (const address of [`/id/?${id}`, `/id/#${id}`, `/id/?id=${id.toUpperCase()}`]) {
    test(`${address} leads to the rule page`, async ({ page, problems }) => {
      await page.goto(address)
      await expect(page).toHaveURL(/\/rules\/splunk\/wmic-remote-process-launch\/$/)
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Remote Process Launch")
      expect(problems).toEqual([])
    })
  }

  test("the rule page links to its permalink", async ({ page, problems }) => {
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    await page.getByTestId("metadata").getByRole("link", { name: "permalink" }).click()
    await expect(page).toHaveURL(/\/rules\/splunk\/wmic-remote-process-launch\/$/)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Remote Process Launch")
    expect(problems).toEqual([])
  })

  test("an unknown id says so and offers a form", async ({ page, problems }) => {
    await page.goto("/id/?00000000-0000-0000-0000-000000000000")
    await expect(page.getByTestId("rule-id").getByRole("status")).toHaveText(
      "No rule with id 00000000-0000-0000-0000-000000000000 in this catalog.",
    )
    await page.getByLabel("Rule id").fill(id)
    await page.getByRole("button", { name: "Open" }).click()
    await expect(page).toHaveURL(/\/rules\/splunk\/wmic-remote-process-launch\/$/)
    expect(problems).toEqual([])
  })

  test("/id/ without an id explains the address and is accessible", async ({ page, problems }) => {
    await page.goto("/id/")
    await expect(page.getByTestId("rule-id").getByRole("status")).toContainText("/id/?<rule id>")
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("an old /id/<uuid>/ link is forwarded from the 404 page", async ({ page }) => {
    // No problems fixture: the old address itself answers 404 before the page forwards it.
    await page.goto(`/id/${id}/`)
    await expect(page).toHaveURL(/\/rules\/splunk\/wmic-remote-process-launch\/$/)
  })
})
