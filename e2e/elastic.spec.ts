import { expect, expectAccessible, test } from "./fixtures"

const RULE = "/rules/elastic/execution-wmi-shell-output-capture/"

test.describe("Elastic rule pages", () => {
  test("show severity, risk score, ATT&CK, the EQL query and its predicate tree", async ({ page, problems }) => {
    await page.goto(RULE)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Atlas Example: Shell Output Captured to an Admin Share via WMI")
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Elastic")
    const classification = page.getByLabel("Classification")
    await expect(classification).toContainText("severity: high")
    await expect(classification).toContainText("risk score: 73")
    await expect(page.getByRole("region", { name: "MITRE ATT&CK coverage" })).toContainText("T1047")
    const written = page.getByRole("region", { name: "ATT&CK as the rule writes it" }).getByRole("table")
    await expect(written.getByRole("row", { name: /TA0008 Lateral Movement T1021 Remote Services T1021\.002 SMB\/Windows Admin Shares/ })).toBeVisible()
    const settings = page.getByRole("region", { name: "Elastic rule" })
    await expect(settings.getByRole("definition").filter({ hasText: "decides the rule" })).toBeVisible()
    await expect(page.getByRole("region", { name: "Query" })).toContainText('process.parent.name : "WmiPrvSE.exe"')
    const stages = page.getByRole("region", { name: "Stages and predicates" })
    await expect(stages.getByTestId("evaluability")).toContainText("Evaluable on a single event")
    await expect(stages.getByRole("group", { name: "AND: all of" }).first()).toContainText("process.parent.name=WmiPrvSE.exe")
    await expect(stages.getByRole("group", { name: "NOT" }).first()).toContainText("user.name=svc-inventory")
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("render the investigation guide as Markdown, never as HTML", async ({ page, problems }) => {
    await page.goto(RULE)
    const guide = page.getByRole("region", { name: "Investigation guide" })
    await expect(guide.getByRole("heading", { name: "What to look at" })).toBeVisible()
    await expect(guide.getByRole("listitem").filter({ hasText: "Which account ran the command" }).locator("code")).toHaveText("user.name")
    await expect(page.getByRole("region", { name: "Setup" }).locator("strong")).toHaveText("Elastic Defend")
    expect(problems).toEqual([])
  })

  test("list indicators with corpus counts", async ({ page }) => {
    await page.goto(RULE)
    const table = page.getByRole("region", { name: "Indicators" }).getByRole("table")
    await expect(table.getByRole("row", { name: /process\.parent\.name .*WmiPrvSE\.exe \d+$/i })).toBeVisible()
  })

  test("label rules one event cannot decide", async ({ page, problems }) => {
    await page.goto("/rules/elastic/command-and-control-shell-then-connect/")
    const stages = page.getByRole("region", { name: "Stages and predicates" })
    await expect(stages.getByTestId("evaluability")).toContainText("Not evaluable on a single event (multi-event)")
    await expect(stages.getByTestId("evaluability")).toContainText("joined by host.id, process.entity_id within 5s")
    await page.goto("/rules/elastic/discovery-new-whoami-parent/")
    await expect(page.getByRole("region", { name: "Stages and predicates" }).getByTestId("evaluability")).toContainText("process.parent.executable")
    expect(problems).toEqual([])
  })

  test("appear in the rules list, on technique pages and in search", async ({ page, problems }) => {
    await page.goto("/rules/?format=elastic")
    await expect(page.getByRole("link", { name: "Atlas Example: Certutil Fetching a URL" })).toBeVisible()
    await page.goto("/techniques/t1047/")
    await expect(page.getByRole("link", { name: "Atlas Example: Shell Output Captured to an Admin Share via WMI" })).toBeVisible()
    expect(problems).toEqual([])
  })
})
