import { expect, expectAccessible, test } from "./fixtures"

const RULE = "/rules/sigma/proc-creation-win-wmic-remote-process-create/"

test.describe("Sigma rule pages", () => {
  test("render level, ATT&CK, event coverage, selections and the condition", async ({ page, problems }) => {
    await page.goto(RULE)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Starts a Process on Another Host")
    await expect(page.getByLabel("Classification")).toContainText("level: high")
    await expect(page.getByRole("region", { name: "MITRE ATT&CK coverage" })).toContainText("T1047")
    const events = page.getByRole("region", { name: "Event coverage" }).getByRole("table")
    await expect(events.getByRole("row", { name: /Sysmon Event ID 1 Process creation/ })).toBeVisible()
    await expect(events.getByRole("row", { name: /Security-Auditing Event ID 4688/ })).toBeVisible()
    const stages = page.getByRole("region", { name: "Stages and predicates" })
    await expect(stages.getByTestId("evaluability")).toContainText("Evaluable on a single event")
    await expect(stages.getByTestId("logsource")).toContainText("category: process_creation")
    const selections = stages.getByRole("list", { name: "Selections" }).getByRole("listitem", { name: /^Selection / })
    await expect(selections).toHaveCount(4)
    await expect(selections.nth(0)).toHaveAccessibleName("Selection selection_wmic")
    await expect(selections.nth(0).getByRole("group", { name: "OR: any of" })).toContainText(
      "OriginalFileName=wmic.exe",
    )
    const condition = stages.getByRole("group", { name: "Condition" })
    await expect(condition).toContainText("all of selection_* and not filter_local_node")
    await expect(condition.getByRole("group", { name: "NOT" }).first()).toContainText("/node:localhost")
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("show the rule in SPL, for raw events and the CIM data model, checked and copyable", async ({
    page,
    context,
    problems,
  }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"])
    await page.goto(RULE)
    const spl = page.getByRole("region", { name: "Splunk SPL" })
    const raw = spl.getByRole("group", { name: "Raw Windows events" })
    // `CommandLine|contains|windash: ' /node:'`: every dash Windows accepts, in one IN list.
    await expect(raw.locator("pre")).toContainText('CommandLine IN ("* -node:*", "* /node:*", "* –node:*"')
    await expect(raw.locator("pre")).toContainText('NOT CommandLine IN ("*/node:localhost*"')
    await expect(raw.getByTestId("round-trip")).toHaveText(/agree on all \d+ events generated/)
    const cim = spl.getByRole("group", { name: "CIM data model (tstats)" })
    await expect(cim.locator("pre")).toContainText(
      "from datamodel=Endpoint.Processes\n  where (Processes.process_path=",
    )
    await expect(cim.locator("pre")).toContainText('Processes.process IN ("* -node:*", "* /node:*"')
    await expect(cim.getByTestId("round-trip")).toHaveText(/agree on all \d+ events generated/)
    await raw.getByRole("button", { name: "Copy" }).click()
    await expect(raw.getByRole("button")).toHaveText("Copied")
    const copied = await page.evaluate(() => navigator.clipboard.readText())
    expect(copied).toMatch(/^source="XmlWinEventLog:Microsoft-Windows-Sysmon\/Operational" EventCode=1\n/)
    expect(copied).toContain('CommandLine IN ("* -node:*", "* /node:*"')
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("say why a rule has no SPL translation", async ({ page, problems }) => {
    await page.goto("/rules/sigma/lnx-shell-history-wiped/")
    const spl = page.getByRole("region", { name: "Splunk SPL" })
    await expect(spl).toContainText("not translated, no raw Splunk source is known for product `linux`")
    await expect(spl).toContainText("not translated, no CIM data model is mapped for logsource `linux")
    expect(problems).toEqual([])
  })

  test("list indicators with corpus counts and link to them", async ({ page }) => {
    await page.goto(RULE)
    const table = page.getByRole("region", { name: "Indicators" }).getByRole("table")
    await expect(
      table.getByRole("row", { name: /^original file name \(OriginalFileName\) eq wmic\.exe \d+$/ }),
    ).toBeVisible()
    await expect(table.getByRole("row", { name: /^command line \(CommandLine\) contains create \d+$/ })).toBeVisible()
    // `Image|endswith: '\wmic.exe'` is a process name test, one row with the Splunk rules' process_name.
    await table
      .getByRole("row", { name: /^process name \(Image\) eq wmic\.exe [1-9]\d*$/ })
      .getByRole("link")
      .click()
    await expect(page).toHaveURL(/\/indicators\/\?field=process-name&kind=eq&value=wmic\.exe/)
    await expect(
      page
        .getByRole("list", { name: "Rules with this indicator" })
        .getByRole("link", { name: "WMIC Remote Process Launch" }),
    ).toBeVisible()
    await expect(
      page
        .getByRole("list", { name: "Rules with this indicator" })
        .getByRole("link", { name: "WMIC Starts a Process on Another Host" }),
    ).toBeVisible()
  })

  test("label a correlation rule instead of evaluating it", async ({ page, problems }) => {
    await page.goto("/rules/sigma/win-security-failed-logon-burst-2/")
    const stages = page.getByRole("region", { name: "Stages and predicates" })
    await expect(stages.getByTestId("evaluability")).toContainText("Correlation rule: not evaluated on a single event")
    await expect(stages.getByRole("definition").first()).toHaveText("event_count")
    expect(problems).toEqual([])
  })

  test("appear in the rules list and on technique pages", async ({ page, problems }) => {
    await page.goto("/rules/?format=sigma")
    await expect(page.getByRole("link", { name: "WMIC Starts a Process on Another Host" })).toBeVisible()
    await page.goto("/techniques/t1047/")
    await expect(page.getByRole("link", { name: "WMIC Starts a Process on Another Host" })).toBeVisible()
    await expect(page.getByRole("link", { name: "WMIC Remote Process Launch" }).first()).toBeVisible()
    expect(problems).toEqual([])
  })
})
