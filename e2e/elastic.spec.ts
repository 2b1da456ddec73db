import { expect, expectAccessible, test } from "./fixtures"

const RULE = "/rules/elastic/execution-wmi-shell-output-capture/"

test.describe("Elastic rule pages", () => {
  test("show severity, risk score, ATT&CK, the EQL query and its predicate tree", async ({ page, problems }) => {
    await page.goto(RULE)
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(
      "Atlas Example: Shell Output Captured to an Admin Share via WMI",
    )
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText("Elastic")
    await expect(page.getByLabel("Classification")).toContainText("type: EQL")
    await expect(page.getByRole("region", { name: "MITRE ATT&CK coverage" })).toContainText("T1047")
    const facts = page.getByRole("region", { name: "Elastic rule" }).getByRole("definition")
    await expect(facts.filter({ hasText: /^high$/ })).toHaveCount(1)
    await expect(facts.filter({ hasText: /^73$/ })).toHaveCount(1)
    const written = page.getByRole("region", { name: "ATT&CK as the rule writes it" }).getByRole("table")
    await expect(
      written.getByRole("row", {
        name: /TA0008 Lateral Movement T1021 Remote Services T1021\.002 SMB\/Windows Admin Shares/,
      }),
    ).toBeVisible()
    await expect(facts.filter({ hasText: "decides the rule" })).toBeVisible()
    await expect(page.getByRole("region", { name: "Query" })).toContainText('process.parent.name : "WmiPrvSE.exe"')
    const stages = page.getByRole("region", { name: "Stages and predicates" })
    await expect(stages.getByTestId("evaluability")).toContainText("Evaluable on a single event")
    await expect(stages.getByRole("group", { name: "AND: all of" }).first()).toContainText(
      "process.parent.name=WmiPrvSE.exe",
    )
    await expect(stages.getByRole("group", { name: "NOT" }).first()).toContainText("user.name=svc-inventory")
    expect(problems).toEqual([])
    await expectAccessible(page)
  })

  test("render the investigation guide as Markdown, never as HTML", async ({ page, problems }) => {
    await page.goto(RULE)
    const guide = page.getByRole("region", { name: "Investigation guide" })
    await expect(guide.getByRole("heading", { name: "What to look at" })).toBeVisible()
    await expect(
      guide.getByRole("listitem").filter({ hasText: "Which account ran the command" }).locator("code"),
    ).toHaveText("user.name")
    await expect(page.getByRole("region", { name: "Setup" }).locator("strong")).toHaveText("Elastic Defend")
    expect(problems).toEqual([])
  })

  test("list indicators by meaning with corpus counts, and the log source apart", async ({ page }) => {
    await page.goto(RULE)
    const region = page.getByRole("region", { name: "Indicators" })
    await expect(region.getByTestId("rule-log-source")).toContainText("event.category")
    const table = region.getByRole("table")
    await expect(
      table.getByRole("row", { name: /^parent process name \(process\.parent\.name\) eq WmiPrvSE\.exe \d+$/ }),
    ).toBeVisible()
    // cmd.exe as a process name is shared with the Splunk and Sigma rules of the default catalog.
    const cmd = table.getByRole("row", { name: /^process name \(process\.name\) eq cmd\.exe (\d+)$/ })
    await expect(cmd).toBeVisible()
    expect(Number((await cmd.getByRole("cell").last().textContent()) ?? "0")).toBeGreaterThan(0)
  })

  test("label rules one event cannot decide", async ({ page, problems }) => {
    await page.goto("/rules/elastic/command-and-control-shell-then-connect/")
    const stages = page.getByRole("region", { name: "Stages and predicates" })
    await expect(stages.getByTestId("evaluability")).toContainText("Not evaluable on a single event")
    await expect(stages.getByTestId("evaluability")).toContainText(
      "a sequence of 2 events joined by host.id, process.entity_id within 5s",
    )
    await page.goto("/rules/elastic/credential-access-ssh-brute-force-esql/")
    await expect(page.getByRole("region", { name: "Stages and predicates" }).getByTestId("evaluability")).toContainText(
      "an ES|QL pipeline that aggregates many events (STATS)",
    )
    await page.goto("/rules/elastic/discovery-new-whoami-parent/")
    await expect(page.getByRole("region", { name: "Stages and predicates" }).getByTestId("evaluability")).toContainText(
      "process.parent.executable",
    )
    expect(problems).toEqual([])
  })

  test("appear in the rules list, on technique pages and in search", async ({ page, problems }) => {
    await page.goto("/rules/?format=elastic")
    await expect(page.getByRole("link", { name: "Atlas Example: Certutil Fetching a URL" })).toBeVisible()
    await page.goto("/techniques/t1047/")
    await expect(
      page.getByRole("link", { name: "Atlas Example: Shell Output Captured to an Admin Share via WMI" }),
    ).toBeVisible()
    expect(problems).toEqual([])
  })
})
