import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"

import { expect, test } from "./fixtures"

/** Every file under a folder, as paths relative to it. */
async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

test.describe("static export", () => {
  test("out/ holds no file the client never requests, and no client chunk asks for one", async () => {
    const all = await files("out")
    expect(all.filter((f) => f.endsWith("/__next._full.txt"))).toEqual([])
    // scripts/prune-export.ts removes __next._full.txt because the client router never fetches it.
    const chunks = all.filter((f) => f.startsWith(join("out", "_next", "static")) && f.endsWith(".js"))
    expect(chunks.length).toBeGreaterThan(0)
    for (const chunk of chunks) expect(await readFile(chunk, "utf8"), chunk).not.toContain("_full")
  })

  test("client-side navigation between pages fetches only files that exist", async ({ page, problems }) => {
    // Unlike the problems fixture, count the router's own payload requests (`_rsc=`) too.
    const failed: string[] = []
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`)
    })
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    await page.getByRole("link", { name: "Detection rules" }).first().click()
    await expect(page).toHaveURL(/\/rules\/$/)
    // The list pages its rows (50 a page): narrow it to the rule as a reader would.
    await page.getByLabel("Name or technique").fill("WMIC Remote")
    await page.getByRole("link", { name: "WMIC Remote Process Launch" }).first().click()
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Remote Process Launch")
    await page.getByRole("link", { name: "T1047" }).first().click()
    await expect(page).toHaveURL(/\/techniques\/t1047\/$/)
    await page.goBack()
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Remote Process Launch")
    expect(failed).toEqual([])
    expect(problems).toEqual([])
  })
})
