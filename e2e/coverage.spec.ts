import { readFile } from "node:fs/promises"

import { expect, expectAccessible, test } from "./fixtures"
import { holdScripts } from "./hold-scripts"

test.describe("what can I run", () => {
  test("Sysmon EventID 1 alone runs the WMIC rule; the choice survives reload and exports a layer", async ({
    page,
    problems,
  }) => {
    await page.goto("/coverage/")
    const picker = page.getByTestId("source-picker")
    await picker.getByRole("searchbox", { name: "Filter data sources" }).fill("Sysmon EventID 1")
    await picker.getByRole("checkbox", { name: /^Sysmon EventID 1\b/ }).check()
    await expect(page).toHaveURL(/\?ds=sysmon-eventid-1$/)
    const runnable = page.getByTestId("runnable-rules")
    await expect(runnable.getByRole("link", { name: "WMIC Remote Process Launch" })).toBeVisible()
    await expect(
      page
        .getByTestId("blocked-rules")
        .getByText(/lacks:/)
        .first(),
    ).toBeVisible()
    await expect(page.getByTestId("coverage-matrix").getByRole("link", { name: /T1047/ })).toBeVisible()

    await page.reload()
    await expect(
      page.getByTestId("runnable-rules").getByRole("link", { name: "WMIC Remote Process Launch" }),
    ).toBeVisible()
    await expect(page.getByTestId("source-picker").getByRole("checkbox", { name: /^Sysmon EventID 1\b/ })).toBeChecked()

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Navigator layer" }).click(),
    ])
    const layer = JSON.parse(await readFile(await download.path(), "utf8"))
    expect(layer.versions.layer).toBe("4.5")
    expect(layer.domain).toBe("enterprise-attack")
    const t1047 = (layer.techniques as Array<{ techniqueID: string; comment: string }>).find(
      (t) => t.techniqueID === "T1047",
    )
    expect(t1047?.comment).toContain("WMIC Remote Process Launch")
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("long lists show their first 40 rules and a button for the rest; the rules load from a static JSON", async ({
    page,
    problems,
  }) => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/coverage/rules.json")),
      page.goto("/coverage/"),
    ])
    const total = ((await response.json()) as unknown[]).length
    await expect(page.getByTestId("coverage-summary")).toHaveText(/0 runnable · \d+ not runnable/)
    const blocked = page.getByTestId("blocked-rules").getByRole("listitem")
    await expect(blocked).toHaveCount(40)
    const summary = (await page.getByTestId("coverage-summary").textContent()) ?? ""
    const notRunnable = Number(/(\d+) not runnable/.exec(summary)?.[1])
    expect(notRunnable).toBeGreaterThan(40)
    expect(notRunnable).toBeLessThanOrEqual(total)
    await page.getByRole("button", { name: `Show all ${notRunnable} rules you cannot run` }).click()
    await expect(blocked).toHaveCount(notRunnable)
    expect(problems).toEqual([])
  })

  test("events page lists process creation rows with counts; data source pages show techniques", async ({
    page,
    problems,
  }) => {
    await page.goto("/events/")
    const rows = page.getByTestId("event-table").getByRole("row").filter({ hasText: "Process creation" })
    expect(await rows.count()).toBeGreaterThanOrEqual(2)
    await expect(rows.filter({ hasText: "Sysmon EventID 1" }).getByRole("cell").last()).toHaveText(/^\d+$/)
    await expectAccessible(page)
    await rows.getByRole("link", { name: "Sysmon EventID 1" }).click()
    await expect(page).toHaveURL(/\/data-sources\/sysmon-eventid-1\/$/)
    await expect(page.getByTestId("data-source-techniques").getByRole("link", { name: /T1047/ })).toBeVisible()
    // The layer is its own file, fetched on the click: the page does not carry it.
    const html = await (await page.request.get("/data-sources/sysmon-eventid-1/")).text()
    expect(html).not.toContain("techniqueID")
    const fetched: string[] = []
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname))
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download Navigator layer" }).click(),
    ])
    expect(fetched).toContain("/data-sources/sysmon-eventid-1/layer.json")
    const layer = JSON.parse(await readFile(await download.path(), "utf8"))
    const wmi = layer.techniques.find((t: { techniqueID: string }) => t.techniqueID === "T1047")
    expect(wmi.links.map((l: { label: string }) => l.label)).toContain("WMIC Remote Process Launch")
    // Rule links point at this site, as the Navigator opens them from elsewhere.
    expect(wmi.links.every((l: { url: string }) => l.url.startsWith(new URL(page.url()).origin))).toBe(true)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("a data source ticked before the page hydrates stays ticked and counts", async ({ page, problems }) => {
    const scripts = holdScripts(page)
    await scripts.held
    await page.goto("/coverage/", { waitUntil: "domcontentloaded" })
    const box = page.getByTestId("source-picker").getByRole("checkbox", { name: /^Sysmon EventID 1\b/ })
    await box.check()
    scripts.release()
    await expect(page).toHaveURL(/\?ds=sysmon-eventid-1$/)
    await expect(
      page.getByTestId("runnable-rules").getByRole("link", { name: "WMIC Remote Process Launch" }),
    ).toBeVisible()
    await expect(box).toBeChecked()
    expect(problems).toEqual([])
  })
})
