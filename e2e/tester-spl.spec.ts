import { expect, expectAccessible, test } from "./fixtures"

const SIGMA_WMIC = "WMIC Starts a Process on Another Host"

test.describe("tester: a Sigma rule beside its SPL translations", () => {
  test("a firing Sigma rule shows its raw and CIM translations firing on the same command line", async ({
    page,
    problems,
  }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill('wmic /node:10.0.0.5 process call create "calc.exe"')
    const sigma = page
      .getByTestId("fired-rule")
      .filter({ has: page.getByRole("link", { name: SIGMA_WMIC, exact: true }) })
    const beside = sigma.getByTestId("spl-beside")
    await expect(beside).toContainText("Its Splunk SPL translations on this input")
    await expect(beside.getByRole("link", { name: "(the searches)" })).toHaveAttribute(
      "href",
      "/rules/sigma/proc-creation-win-wmic-remote-process-create/#spl-title",
    )
    const list = beside.getByRole("list", { name: "SPL translations beside the rule" })
    await expect(list.getByRole("listitem").first()).toHaveText("Sigma rule: fires")
    await expect(list.locator('[data-target="spl-raw"]')).toHaveText("Raw Windows events: fires · agrees")
    await expect(list.locator('[data-target="spl-cim"]')).toHaveText("CIM data model (tstats): fires · agrees")
    // A Splunk rule has no translation: nothing beside it.
    const splunk = page
      .getByTestId("fired-rule")
      .filter({ has: page.getByRole("link", { name: "WMIC Remote Process Launch", exact: true }) })
    await expect(splunk).toContainText("Splunk")
    await expect(splunk.getByTestId("spl-beside")).toHaveCount(0)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("a Sigma near miss shows its translations not firing either, and a new input runs them again", async ({
    page,
    problems,
  }) => {
    await page.goto("/tester/")
    const cmd = page.getByLabel("Command line", { exact: true })
    await cmd.fill("wmic /node:localhost process call create calc.exe")
    const near = page
      .getByTestId("near-miss")
      .filter({ has: page.getByRole("link", { name: SIGMA_WMIC, exact: true }) })
    const list = near.getByTestId("spl-beside").getByRole("list", { name: "SPL translations beside the rule" })
    await expect(list.getByRole("listitem").first()).toHaveText("Sigma rule: does not fire")
    await expect(list.locator('[data-target="spl-raw"]')).toHaveText("Raw Windows events: does not fire · agrees")
    await expect(list.locator('[data-target="spl-cim"]')).toHaveText("CIM data model (tstats): does not fire · agrees")
    // Another host: the same rule now fires, and its translations are run on the new input.
    await cmd.fill("wmic /node:10.0.0.9 process call create calc.exe")
    const fired = page
      .getByTestId("fired-rule")
      .filter({ has: page.getByRole("link", { name: SIGMA_WMIC, exact: true }) })
    await expect(fired.getByTestId("spl-beside").locator('[data-target="spl-raw"]')).toHaveText(
      "Raw Windows events: fires · agrees",
    )
    expect(problems).toEqual([])
  })
})
