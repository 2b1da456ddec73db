import { expect, test } from "./fixtures"

/**
 * What a reader sees of where a rule came from, and the addresses people paste. The browser
 * suite builds content/ with CATALOG_SOURCE_URL set (scripts/test-all.sh), so every rule's file
 * links upstream.
 */
test.describe("rule file and addresses", () => {
  test("a rule page shows its file relative to the content root, linked upstream, and the path never pushes the copy button off a phone @mobile", async ({
    page,
    problems,
  }) => {
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    const caption = page.locator('section[aria-labelledby="body-title"] figcaption')
    await expect(caption).toContainText("detections/endpoint/wmic_remote_process_launch.yml")
    await expect(caption).not.toContainText("content/detections")
    const copy = caption.getByRole("button", { name: /copy/i })
    await copy.scrollIntoViewIfNeeded()
    const box = await copy.boundingBox()
    expect((box?.x ?? Infinity) + (box?.width ?? 0)).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0)
    const file = page.getByTestId("metadata")
    await expect(file).toContainText("detections/endpoint/wmic_remote_process_launch.yml in content")
    const upstream = file.getByTestId("upstream-link")
    if (process.env.CATALOG_SOURCE_URL) {
      await expect(upstream).toHaveAttribute(
        "href",
        `${process.env.CATALOG_SOURCE_URL.replace(/\/$/, "")}/detections/endpoint/wmic_remote_process_launch.yml`,
      )
    }
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    expect(width).toBeLessThanOrEqual(page.viewportSize()?.width ?? 0)
    expect(problems).toEqual([])
  })

  test("ATT&CK's spellings of technique and tactic addresses reach their pages", async ({ page, problems }) => {
    for (const [from, to, title] of [
      ["/techniques/T1047/", "/techniques/t1047/", /T1047/],
      ["/techniques/T1047", "/techniques/t1047/", /T1047/],
      ["/tactics/TA0002/", "/tactics/execution/", /Execution/],
      ["/tactics/ta0002/", "/tactics/execution/", /Execution/],
    ] as const) {
      await page.goto(from)
      await expect(page).toHaveURL(new RegExp(`${to}$`))
      await expect(page).toHaveTitle(title)
    }
    expect(problems).toEqual([])
  })

  test("a sub-technique link keeps its trailing slash and navigates in place", async ({ page, problems }) => {
    await page.goto("/tactics/execution/")
    const links = page.locator('main a[href^="/techniques/t"][href*="."]')
    await expect(links.first()).toBeVisible()
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? "")))
      expect(href).toMatch(/\/$/)
    await links.first().click()
    await expect(page).toHaveURL(/\/techniques\/t\d{4}\.\d{3}\/$/)
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible()
    expect(problems).toEqual([])
  })
})
