import { gunzipSync } from "node:zlib"

import type { Browser, Page } from "@playwright/test"

import { expect, test } from "./fixtures"

const RULE = "/rules/splunk/wmic-remote-process-launch/"
const SO_FAR = /so far/

/** Holds `/search-index.json` until `release()`: the whole index is on its way, not there yet. */
async function holdIndex(page: Page): Promise<{ asked: Promise<unknown>; release: () => void }> {
  let release = () => {}
  const released = new Promise<void>((done) => (release = done))
  let asked = () => {}
  const wasAsked = new Promise<void>((done) => (asked = done))
  await page.route("**/search-index.json", async (route) => {
    asked()
    await released
    await route.continue()
  })
  return { asked: wasAsked, release: () => release() }
}

/** The palette's options as a person reads them, one line each. */
async function optionTexts(page: Page): Promise<string[]> {
  return (await page.getByRole("dialog", { name: "Search" }).getByRole("option").allInnerTexts()).map((t) =>
    t.replace(/\s+/g, " ").trim(),
  )
}

/** `query` in the palette of a page that never gets the first part: the whole index's answer. */
async function wholeAnswer(browser: Browser, query: string): Promise<string[]> {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await page.route("**/search-head.bin", (route) => route.abort())
  await page.goto("/")
  await page.keyboard.press("/")
  await page.keyboard.type(query)
  const status = page.locator("#atlas-search-status")
  await expect(status).toHaveText(/rules? match/)
  await expect(status).not.toHaveText(SO_FAR)
  const texts = await optionTexts(page)
  await ctx.close()
  return texts
}

/** Waits until the first part of the index is in (fetched while the page idles). */
async function firstPartIn(page: Page): Promise<void> {
  await page.waitForFunction(() => performance.getEntriesByName("atlas-search-head").length > 0)
}

/** Number of saves of the whole index in the browser's IndexedDB (0 or 1). */
function savedCount(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((ok) => {
        const req = indexedDB.open("atlas-search")
        req.onerror = () => ok(0)
        req.onsuccess = () => {
          const db = req.result
          if (!db.objectStoreNames.contains("term-index")) {
            db.close()
            ok(0)
            return
          }
          const c = db.transaction("term-index").objectStore("term-index").count()
          c.onsuccess = () => {
            db.close()
            ok(c.result)
          }
          c.onerror = () => {
            db.close()
            ok(0)
          }
        }
      }),
  )
}

test.describe("the first part of the search index", () => {
  test("a page idling fetches only the first part (small), never the whole index", async ({ page, problems }) => {
    const fetched: Array<{ url: string; bytes: Promise<number> }> = []
    page.on("response", (r) =>
      fetched.push({
        url: r.url(),
        bytes: r.body().then(
          (b) => b.length,
          () => 0,
        ),
      }),
    )
    for (const path of ["/", RULE]) {
      fetched.length = 0
      await page.goto(path)
      await firstPartIn(page)
      await page.waitForTimeout(1000)
      expect(
        fetched.filter((f) => f.url.includes("search-index.json")),
        path,
      ).toEqual([])
      const head = fetched.filter((f) => f.url.includes("search-head.bin"))
      expect(head.length, path).toBe(1)
      // The whole index of content/ is tens of KB raw; its first part a few KB, gzipped in the file.
      expect(await head[0]?.bytes, path).toBeLessThan(8_000)
    }
    expect(problems).toEqual([])
  })

  for (const [where, path] of [
    ["the home page", "/"],
    ["a rule page", RULE],
  ] as const) {
    test(`on ${where}, while the whole index is held, the first part answers; then the whole index's answer replaces it, as a page without the first part shows it`, async ({
      page,
      browser,
      problems,
    }) => {
      const index = await holdIndex(page)
      await page.goto(path)
      await firstPartIn(page)
      await page.keyboard.press("/")
      await page.keyboard.type("wmic", { delay: 0 })
      const dialog = page.getByRole("dialog", { name: "Search" })
      const box = dialog.getByRole("combobox", { name: "Search rules and indicators" })
      const status = page.locator("#atlas-search-status")
      await expect(box).toHaveValue("wmic")
      // Asked for on `/`, held: every option below comes from the first part.
      await index.asked
      await expect(status).toHaveText(SO_FAR)
      await expect(dialog.getByRole("option").first()).toContainText("WMIC")
      const early = await optionTexts(page)
      index.release()
      await expect(status).not.toHaveText(SO_FAR)
      await expect(status).toHaveText(/^\d+ rules match\.$/)
      const after = await optionTexts(page)
      expect(after).toEqual(await wholeAnswer(browser, "wmic"))
      // Rules found by name come first in both, in the same order, with the same snippets.
      const byName = early.filter((t) => / name /i.test(t) && !t.startsWith("All "))
      expect(byName.length).toBeGreaterThan(0)
      expect(after.slice(0, byName.length)).toEqual(byName)
      expect(problems).toEqual([])
    })
  }

  test("a rule only the whole index finds (by indicator value) appears once it loads", async ({
    page,
    browser,
    problems,
  }) => {
    const index = await holdIndex(page)
    await page.goto("/")
    await firstPartIn(page)
    await page.keyboard.press("/")
    await page.keyboard.type("urlcache")
    const status = page.locator("#atlas-search-status")
    await index.asked
    await expect(status).toHaveText("0 rules match by name or technique so far; searching the rest of the catalog…")
    index.release()
    await expect(status).toHaveText(/^\d+ rules? match/)
    await expect(status).not.toHaveText(SO_FAR)
    expect(await optionTexts(page)).toEqual(await wholeAnswer(browser, "urlcache"))
    expect((await optionTexts(page)).length).toBeGreaterThan(0)
    expect(problems).toEqual([])
  })

  test("Enter on an answer from the first part opens that rule once the whole index says where its page is", async ({
    page,
    problems,
  }) => {
    const index = await holdIndex(page)
    await page.goto("/")
    await firstPartIn(page)
    await page.keyboard.press("/")
    await page.keyboard.type("winrs")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await index.asked
    await expect(page.locator("#atlas-search-status")).toHaveText(SO_FAR)
    await expect(dialog.getByRole("option").first()).toContainText("WinRS Remote Command Execution")
    await page.keyboard.press("Enter")
    await expect(page.locator("#atlas-search-status")).toHaveText("Opening WinRS Remote Command Execution…")
    index.release()
    await expect(page).toHaveURL(/\/rules\/[a-z]+\/[a-z0-9-]+\/$/)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WinRS Remote Command Execution")
    expect(problems).toEqual([])
  })

  for (const [where, path] of [
    ["the home page", "/"],
    ["a rule page", RULE],
  ] as const) {
    test(`on ${where} after it idled, / then winrs at 0 ms a key: every key lands and the WinRS rule is listed, then the same once the whole index is in`, async ({
      page,
      problems,
    }) => {
      await page.goto(path)
      await firstPartIn(page)
      await page.keyboard.press("/")
      await page.keyboard.type("winrs", { delay: 0 })
      const dialog = page.getByRole("dialog", { name: "Search" })
      const box = dialog.getByRole("combobox", { name: "Search rules and indicators" })
      await expect(box).toHaveValue("winrs")
      await expect(dialog.getByRole("option").first()).toContainText("WinRS Remote Command Execution")
      await expect(page.locator("#atlas-search-status")).not.toHaveText(SO_FAR)
      await expect(dialog.getByRole("option").first()).toContainText("WinRS Remote Command Execution")
      await expect(box).toHaveValue("winrs")
      expect(problems).toEqual([])
    })
  }
})

test.describe("the whole index saved for later visits", () => {
  test("a later visit loads it while the page idles, with no request for the whole index, and answers from it", async ({
    page,
    problems,
  }) => {
    await page.goto("/")
    await page.getByRole("button", { name: "Search" }).hover()
    await expect.poll(() => savedCount(page), { timeout: 20_000 }).toBe(1)
    const fetched: string[] = []
    page.on("request", (r) => fetched.push(r.url()))
    await page.goto(RULE)
    await page.waitForFunction(() => performance.getEntriesByName("atlas-search-ready").length > 0)
    const ready = await page.evaluate(
      () => (performance.getEntriesByName("atlas-search-ready")[0] as PerformanceMark).detail as { saved: boolean },
    )
    expect(ready.saved).toBe(true)
    await page.keyboard.press("/")
    await page.keyboard.type("winrs")
    const dialog = page.getByRole("dialog", { name: "Search" })
    await expect(dialog.getByRole("option").first()).toContainText("WinRS Remote Command Execution")
    await expect(page.locator("#atlas-search-status")).toHaveText(/^\d+ rules? match/)
    await expect(page.locator("#atlas-search-status")).not.toHaveText(SO_FAR)
    expect(fetched.filter((u) => u.includes("search-index.json"))).toEqual([])
    expect(problems).toEqual([])
  })

  test("a save from another build is never read", async ({ page, problems }) => {
    await page.goto("/")
    await firstPartIn(page)
    // Another build's save: the same rules under other names, kept under that build's hash.
    const text = await (await page.request.get("/search-index.json")).text()
    const stale = JSON.parse(text) as { rules: { name: string[] } }
    stale.rules.name = stale.rules.name.map((n) => `Stale ${n}`)
    await page.evaluate(
      async (saved) =>
        new Promise<void>((ok, fail) => {
          const req = indexedDB.open("atlas-search")
          req.onupgradeneeded = () => {
            if (!req.result.objectStoreNames.contains("term-index")) req.result.createObjectStore("term-index")
          }
          req.onerror = () => fail(new Error("no IndexedDB"))
          req.onsuccess = () => {
            const db = req.result
            const tx = db.transaction("term-index", "readwrite")
            tx.objectStore("term-index").clear()
            tx.objectStore("term-index").put({ text: saved, terms: [] }, `2:${"0".repeat(64)}`)
            tx.oncomplete = () => {
              db.close()
              ok()
            }
          }
        }),
      JSON.stringify(stale),
    )
    // The same save under this build's hash would be read: the head names the build.
    const head = await page.request.get("/search-head.bin")
    const full = (JSON.parse(gunzipSync(await head.body()).toString("utf8")) as { full: string }).full
    expect(full).not.toBe("0".repeat(64))
    const fetched: string[] = []
    page.on("request", (r) => fetched.push(r.url()))
    await page.goto("/")
    await firstPartIn(page)
    await page.waitForTimeout(500)
    expect(await page.evaluate(() => performance.getEntriesByName("atlas-search-ready").length)).toBe(0)
    await page.keyboard.press("/")
    await page.keyboard.type("winrs")
    const status = page.locator("#atlas-search-status")
    await expect(status).toHaveText(/^(1 rule matches|\d+ rules match)\.$/)
    await expect(page.getByRole("dialog", { name: "Search" }).getByRole("option").first()).toContainText(
      /^WinRS Remote Command Execution/,
    )
    expect(await optionTexts(page)).not.toContainEqual(expect.stringContaining("Stale"))
    expect(fetched.filter((u) => u.includes("search-index.json")).length).toBe(1)
    expect(problems).toEqual([])
  })

  test("a host that inflates the first part itself (its own gzip encoding) hands over JSON, which is read as is", async ({
    page,
    problems,
  }) => {
    await page.route("**/search-head.bin", async (route) => {
      const r = await route.fetch()
      await route.fulfill({
        status: 200,
        headers: { "content-type": "application/octet-stream" },
        body: gunzipSync(await r.body()),
      })
    })
    const index = await holdIndex(page)
    await page.goto("/")
    await firstPartIn(page)
    await page.keyboard.press("/")
    await page.keyboard.type("winrs")
    await index.asked
    await expect(page.locator("#atlas-search-status")).toHaveText(SO_FAR)
    await expect(page.getByRole("dialog", { name: "Search" }).getByRole("option").first()).toContainText(
      "WinRS Remote Command Execution",
    )
    index.release()
    await expect(page.locator("#atlas-search-status")).not.toHaveText(SO_FAR)
    expect(problems).toEqual([])
  })
})
