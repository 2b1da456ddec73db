import { expect, expectAccessible, test } from "./fixtures"

const RULE = "/rules/splunk/wmic-remote-process-launch/"

const isDark = (page: import("@playwright/test").Page) =>
  page.evaluate(() => document.documentElement.classList.contains("dark"))

test.describe("dark theme", () => {
  test("follows the system setting until the reader chooses", async ({ page, problems }) => {
    await page.emulateMedia({ colorScheme: "dark" })
    await page.goto("/")
    expect(await isDark(page)).toBe(true)
    await page.emulateMedia({ colorScheme: "light" })
    await expect.poll(() => isDark(page)).toBe(false)
    expect(problems).toEqual([])
  })

  test("the header switch is remembered across reloads and page kinds @mobile", async ({ page, problems }) => {
    await page.emulateMedia({ colorScheme: "light" })
    await page.goto("/")
    const toggle = page.getByRole("button", { name: "Dark theme" })
    await expect(toggle).toHaveAttribute("aria-pressed", "false")
    await toggle.click()
    await expect(toggle).toHaveAttribute("aria-pressed", "true")
    expect(await isDark(page)).toBe(true)
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    await page.reload()
    expect(await isDark(page)).toBe(true)
    await expect(page.getByRole("button", { name: "Dark theme" })).toHaveAttribute("aria-pressed", "true")
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(bg)

    // The static rule pages read the same choice and their switch works without React.
    await page.goto(RULE)
    expect(await isDark(page)).toBe(true)
    const ruleToggle = page.getByRole("button", { name: "Dark theme" })
    await expect(ruleToggle).toHaveAttribute("aria-pressed", "true")
    await ruleToggle.click()
    expect(await isDark(page)).toBe(false)
    await page.goto("/attack/")
    expect(await isDark(page)).toBe(false)
    expect(problems).toEqual([])
  })

  test("the theme is set in the head, before the page paints", async ({ request }) => {
    for (const path of ["/", RULE]) {
      const html = await (await request.get(path)).text()
      const head = html.slice(0, html.indexOf("<body"))
      expect(head, path).toContain("localStorage.getItem(k)")
      // Before any stylesheet is applied to the body, and allowed by the page's policy (its hash).
      expect(head.indexOf("atlas-theme"), path).toBeGreaterThan(head.indexOf("Content-Security-Policy"))
    }
  })

  for (const scheme of ["light", "dark"] as const) {
    test(`pages are accessible in the ${scheme} theme`, async ({ page, problems }) => {
      // Six pages through axe, the matrix among them.
      test.slow()
      await page.emulateMedia({ colorScheme: scheme })
      for (const path of ["/", "/rules/", RULE, "/attack/", "/techniques/t1047/", "/data-sources/sysmon-eventid-1/"]) {
        await page.goto(path)
        expect(await isDark(page), path).toBe(scheme === "dark")
        if (path === "/rules/" || path.startsWith("/data-sources/"))
          await expect(page.getByTestId("rule-count")).toHaveText(/ of /)
        await expectAccessible(page)
      }
      expect(problems).toEqual([])
    })
  }
})
