import AxeBuilder from "@axe-core/playwright"
import { test as base, expect, type Page } from "@playwright/test"

/** Console errors and failed requests seen by a page; every spec asserts there are none. */
export const test = base.extend<{ problems: string[] }>({
  problems: async ({ page }, use) => {
    const problems: string[] = []
    page.on("console", (m) => {
      // Chromium asks for /favicon.ico on its own now and then (the site's icon is app/icon.svg).
      if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico"))
        problems.push(`console: ${m.text()} (${m.location().url})`)
    })
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`))
    page.on("response", (r) => {
      // Next prefetches route payloads it may not need; only pages and assets the page uses count.
      if (r.status() >= 400 && !r.url().includes("_rsc=")) problems.push(`${r.status()} ${r.url()}`)
    })
    await use(problems)
  },
})

export { expect }

/** axe-core on the current page: no serious or critical violation. `scope` narrows what axe reads. */
export async function expectAccessible(page: Page, scope: (axe: AxeBuilder) => AxeBuilder = (axe) => axe) {
  const results = await scope(new AxeBuilder({ page })).analyze()
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes[0]?.target.join(" ")})`)).toEqual([])
}
