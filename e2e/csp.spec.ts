import type { Page } from "@playwright/test"

import { expect, test } from "./fixtures"

/**
 * Every exported page carries a Content Security Policy (scripts by hash, see lib/csp.ts) that
 * the site itself never violates: Next's inline scripts, the tester's worker and the JSON
 * fetches all stay allowed. Static rule pages have no inline script at all: `'self'` alone.
 */
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] }
    w.__csp = []
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective}: ${e.blockedURI || "inline"} ${e.sample}`),
    )
  })
}

const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)

const PAGES = [
  "/",
  "/rules/",
  "/rules/splunk/wmic-remote-process-launch/",
  "/rules/sigma/proc-creation-win-powershell-encoded-invoke-expression/",
  "/search/?q=wmic",
  "/attack/",
  "/techniques/t1047/",
  "/stories/",
  "/indicators/",
  "/coverage/",
  "/events/",
  "/about/",
]

test("pages carry a hash-based policy and never violate it", async ({ page, problems }) => {
  // Thirteen page loads in one test: on a shared two-core machine that outgrows the default 30 s.
  test.setTimeout(90_000)
  await recordViolations(page)
  for (const path of PAGES) {
    await page.goto(path)
    await expect(page.locator("main")).toBeVisible()
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content")
    const inline = await page.locator("script:not([src])").count()
    expect(policy, path).toMatch(inline > 0 ? /script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+;/ : /script-src 'self';/)
    expect(policy, path).not.toContain("unsafe-eval")
    expect(policy, path).not.toMatch(/script-src[^;]*unsafe-inline/)
    expect(await violations(page), path).toEqual([])
  }
  // The palette (React, loaded on first use) and its worker run under a rule page's policy too.
  await page.goto("/rules/splunk/wmic-remote-process-launch/")
  await page.keyboard.press("/")
  await expect(page.getByRole("dialog", { name: "Search" })).toBeVisible()
  await page.getByRole("combobox", { name: "Search rules and indicators" }).fill("wmic")
  await expect(page.getByRole("dialog", { name: "Search" }).getByRole("option").first()).toBeVisible()
  expect(await violations(page)).toEqual([])
  // Client-side navigation keeps working under the first page's policy.
  // The rule list pages its rows (50 a page): filter to the rule first.
  await page.goto("/rules/?q=WMIC%20Remote")
  await page.getByRole("link", { name: "WMIC Remote Process Launch" }).first().click()
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Remote Process Launch")
  expect(await violations(page)).toEqual([])
  expect(problems).toEqual([])
})

test("the tester's worker and rule payload load under the policy", async ({ page, problems }) => {
  await recordViolations(page)
  await page.goto(`/tester/#cmd=${encodeURIComponent("wmic /node:10.0.0.5 process call create calc.exe")}`)
  await expect(page.locator("main")).toContainText("WMIC Remote Process Launch", { timeout: 15_000 })
  expect(await violations(page)).toEqual([])
  expect(problems).toEqual([])
})

test("an injected inline script is blocked", async ({ page }) => {
  await recordViolations(page)
  await page.goto("/about/")
  // What a rule field would become if it were ever rendered as HTML.
  await page.evaluate(() => {
    const s = document.createElement("script")
    s.textContent = "window.__ran = true"
    document.body.append(s)
  })
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined()
  expect((await violations(page)).join("\n")).toMatch(/script-src/)
})
