import { existsSync } from "node:fs"

import type { Page } from "@playwright/test"

import { expect, test } from "./fixtures"

/**
 * Runs against out-hostile/, the export of e2e/hostile-catalog (rules whose every field carries
 * markup, script, javascript:/data: links or 5,000-character runs), served by the second web
 * server of playwright.config.ts. Any `window.__pwned = …` in the fixture means a script from
 * content ran.
 */
test.skip(
  !existsSync("out-hostile/index.html"),
  "out-hostile/ is missing: CATALOG_CONTENT=e2e/hostile-catalog ATLAS_OUT_DIR=out-hostile npm run build",
)

const PAGES = [
  "/",
  "/rules/",
  "/rules/splunk/hostile-markup-in-every-field/",
  "/rules/splunk/hostile-long-unbroken-strings/",
  "/rules/splunk/hostile-control-rule/",
  "/rules/sigma/hostile-sigma-markup/",
  "/search/?q=hostile",
  "/stories/b-onmouseover-window-pwned-story-hostile-b-story/",
  "/macros/sysmon/",
  "/data-sources/sysmon-eventid-1/",
  "/techniques/t1059/",
  "/indicators/",
  "/events/",
]

/** Before any page script: trap writes to window.__pwned, collect CSP violations and dialogs. */
async function arm(page: Page): Promise<{ dialogs: string[] }> {
  await page.addInitScript(() => {
    const w = window as unknown as { __pwnedLog: string[]; __csp: string[] }
    w.__pwnedLog = []
    w.__csp = []
    Object.defineProperty(window, "__pwned", {
      set: (v: unknown) => w.__pwnedLog.push(String(v)),
      get: () => undefined,
    })
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective}: ${e.blockedURI || "inline"} ${e.sample}`),
    )
  })
  const dialogs: string[] = []
  page.on("dialog", (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  return { dialogs }
}

async function expectInert(page: Page, dialogs: string[]) {
  // Hover and focus everything once: handlers such as onmouseover must not exist either.
  await page
    .locator("b, img, svg, details")
    .evaluateAll((els) => els.forEach((el) => el.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }))))
  const state = await page.evaluate(() => {
    const w = window as unknown as { __pwnedLog: string[]; __csp: string[] }
    return { pwned: w.__pwnedLog, csp: w.__csp }
  })
  expect(state.pwned, "a script from rule content ran").toEqual([])
  expect(state.csp, "content security policy violations").toEqual([])
  expect(dialogs).toEqual([])
  const bad = await page
    .locator("a[href]")
    .evaluateAll((as) =>
      as
        .map((a) => a.getAttribute("href") ?? "")
        .filter((h) => /^\s*(javascript|data|vbscript):/i.test(h) || /^\s*\/\/(?!127\.0\.0\.1)/.test(h)),
    )
  expect(bad, "dangerous links rendered as hrefs").toEqual([])
  // Rule text rendered as HTML would leave elements behind in the page body.
  await expect(
    page.locator("main").locator("script, style, iframe, object, embed, svg[onload], img[onerror], details[ontoggle]"),
  ).toHaveCount(0)
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(1)
}

for (const path of PAGES) {
  test(`${path} renders hostile rule text inert`, async ({ page, problems }) => {
    const { dialogs } = await arm(page)
    await page.goto(path)
    await expect(page.locator("main")).toBeVisible()
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1)
    await expectInert(page, dialogs)
    expect(problems).toEqual([])
  })
}

test("hostile text is shown literally and dangerous references stay text", async ({ page, problems }) => {
  const { dialogs } = await arm(page)
  await page.goto("/rules/splunk/hostile-markup-in-every-field/")
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `<script>window.__pwned='name'</script> Hostile <img src=x onerror="window.__pwned='name-img'">`,
  )
  const main = page.locator("main")
  await expect(main).toContainText(
    `<img src=x onerror="window.__pwned='description'"> **bold?** [click me](javascript:window.__pwned='md-link')`,
  )
  await expect(main).toContainText("</script><script>window.__pwned='fp'</script>")
  await expect(main).toContainText("<style>body{display:none}</style>")
  for (const ref of [
    "javascript:window.__pwned='reference'",
    "JaVaScRiPt:window.__pwned='reference-case'",
    "vbscript:msgbox(1)",
    "//evil.example/protocol-relative",
  ]) {
    await expect(main.getByText(ref, { exact: true }).first()).toBeVisible()
    await expect(main.getByRole("link", { name: ref, exact: true })).toHaveCount(0)
  }
  await expect(main.getByText(/^data:text\/html;base64,/).first()).toBeVisible()
  // The https reference is a link, with its quotes and markup kept inside the href as text.
  await expect(main.getByRole("link", { name: /^https:\/\/example\.com\/path/ })).toHaveAttribute(
    "href",
    `https://example.com/path?q="><script>window.__pwned='https'</script>`,
  )
  await expectInert(page, dialogs)
  expect(problems).toEqual([])
})

test("a hostile Sigma rule is shown literally", async ({ page, problems }) => {
  const { dialogs } = await arm(page)
  await page.goto("/rules/sigma/hostile-sigma-markup/")
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    `<script>window.__pwned='sigma-title'</script> Hostile Sigma <img src=x onerror="window.__pwned='sigma-img'">`,
  )
  const main = page.locator("main")
  await expect(main).toContainText(`<b onmouseover="window.__pwned='sigma-fp'">bold</b>`)
  await expect(main.getByText("javascript:window.__pwned='sigma-reference'", { exact: true }).first()).toBeVisible()
  await expectInert(page, dialogs)
  expect(problems).toEqual([])
})

test("5,000-character unbroken strings wrap inside the page @mobile", async ({ page, problems }) => {
  const { dialogs } = await arm(page)
  await page.goto("/rules/splunk/hostile-long-unbroken-strings/")
  await expect(page.locator("main")).toContainText("Z".repeat(5000))
  await expectInert(page, dialogs)
  expect(problems).toEqual([])
})

test("the tester shows a hostile pasted event as text", async ({ page, problems }) => {
  const { dialogs } = await arm(page)
  const event = JSON.stringify({
    EventCode: 1,
    CommandLine: `powershell -enc <img src=x onerror="window.__pwned='tester'">`,
    Image: "C:\\Windows\\System32\\powershell.exe",
    dest: "<b>ws-1</b>",
  })
  await page.goto(`/tester/#mode=event&event=${encodeURIComponent(event)}`)
  await expect(page.locator("main")).toContainText("Hostile Control Rule", { timeout: 15_000 })
  await expect(page.locator("main")).toContainText(`<img src=x onerror="window.__pwned='tester'">`)
  await expectInert(page, dialogs)
  expect(problems).toEqual([])
})
