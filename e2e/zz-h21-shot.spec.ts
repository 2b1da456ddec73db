import { test } from "@playwright/test"
for (const width of [390, 1440]) {
  test(`shot ${width}`, async ({ page }) => {
    await page.setViewportSize({ width, height: 1200 })
    await page.goto(process.env.SHOT_PATH ?? "/rules/sigma/proc-creation-win-wmic-remote-process-create/")
    const s = page.getByRole("region", { name: "Splunk SPL" })
    await s.scrollIntoViewIfNeeded()
    await s.screenshot({ path: `/tmp/h21/shots/spl-${width}.png` })
    const w = await page.evaluate(() => document.documentElement.scrollWidth)
    console.log("scrollWidth", width, w)
  })
}
