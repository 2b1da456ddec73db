import { readFile } from "node:fs/promises"

import { expect, expectAccessible, test } from "./fixtures"

const SIGMA = "/rules/sigma/proc-creation-win-wmic-remote-process-create/"

test.describe("rule page extras", () => {
  test("required fields, the file download as written, rules of other formats @mobile", async ({ page, problems }) => {
    await page.goto(SIGMA)
    await expect(page.getByRole("heading", { level: 2, name: "Required fields" })).toBeVisible()
    const read = page.getByTestId("fields-read").getByRole("listitem")
    await expect(read).toHaveText(["CommandLine", "Image", "OriginalFileName"])

    const link = page.getByTestId("rule-download")
    await expect(link).toHaveText(/^Download YAML \(proc_creation_win_wmic_remote_process_create\.yml\)$/)
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()])
    expect(download.suggestedFilename()).toBe("proc_creation_win_wmic_remote_process_create.yml")
    const saved = await readFile(await download.path(), "utf8")
    const body = (await page.locator("section[aria-labelledby=body-title] pre").first().textContent()) ?? ""
    expect(saved.trimEnd()).toBe(body.trimEnd())
    expect(saved).toContain("logsource:")

    // The new sections stay inside a phone's width (the file-path header is another matter).
    const width = page.viewportSize()?.width ?? 0
    for (const id of ["fields-title", "other-formats-title"]) {
      const right = await page
        .locator(`section[aria-labelledby=${id}]`)
        .evaluate((s) => Math.max(...[s, ...s.querySelectorAll("*")].map((e) => e.getBoundingClientRect().right)))
      expect(right, id).toBeLessThanOrEqual(width)
    }
    const other = page.getByTestId("other-formats")
    await expect(other.getByRole("link", { name: "WMIC Remote Process Launch" })).toBeVisible()
    await expect(other.getByRole("listitem").first()).toContainText("Splunk · T1047 · shares")
    await other.getByRole("link", { name: "WMIC Remote Process Launch" }).click()
    await expect(page).toHaveURL(/\/rules\/splunk\/wmic-remote-process-launch\/$/)
    // And back: the Splunk rule lists the Sigma one.
    await expect(page.getByTestId("other-formats").getByRole("link", { name: /WMIC/ }).first()).toBeVisible()
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("technique pages show ATT&CK's description as text, its platforms and data components", async ({
    page,
    problems,
  }) => {
    await page.goto("/techniques/t1059/")
    const text = page.getByTestId("technique-description")
    await expect(text).toContainText("Adversaries may abuse command and script interpreters")
    await expect(text).not.toContainText("(Citation:")
    // The first paragraph shows; the rest opens on request.
    const more = text.getByText("Read ATT&CK's full description")
    await expect(text.getByRole("link", { name: "Python" })).toBeHidden()
    await more.click()
    await expect(text.getByRole("link", { name: "Python" })).toBeVisible()
    await expect(text.getByText("Show less")).toBeVisible()
    // ATT&CK's links to its own technique pages point at ours.
    await expect(text.getByRole("link", { name: "PowerShell" }).first()).toHaveAttribute(
      "href",
      "/techniques/t1059.001/",
    )
    await expect(page.getByTestId("technique-data-components")).toContainText("Process Creation")
    await expect(page.locator("dt", { hasText: "Platforms" })).toBeVisible()
    await expectAccessible(page)
    expect(problems).toEqual([])
  })
})
