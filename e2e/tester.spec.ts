import { expect, expectAccessible, test } from "./fixtures"

const WMIC = 'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"'
const EVTX = String.raw`{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws1"},"EventData":{"Image":"C:\\Windows\\System32\\wbem\\WMIC.exe","CommandLine":"wmic /node:10.0.0.5 process call create calc.exe","OriginalFileName":"wmic.exe"}}}`

test.describe("tester", () => {
  test("a WMIC remote command line fires WMIC Remote Process Launch first, with held predicates marked", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    const first = page.getByRole("list", { name: "Firing rules" }).getByTestId("fired-rule").first()
    await expect(first.getByRole("link").first()).toHaveText("WMIC Remote Process Launch")
    await expect(first.getByRole("link").first()).toHaveAttribute("href", "/rules/splunk/wmic-remote-process-launch/")
    const held = first.locator('li[data-held="true"]')
    await expect(held.first()).toContainText("✓ held")
    await expect(first.locator("li[data-held]", { hasText: "process_name=wmic.exe" }).first()).toContainText("wmic.exe")
    await expect(page).toHaveURL(/#cmd=wmic/)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("the permalink restores the input and the results", async ({ page, context, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    await page.getByLabel("User (optional)").fill("bob")
    await expect(page.getByTestId("fired-rule").first().getByRole("link").first()).toHaveText("WMIC Remote Process Launch")
    await expect(page).toHaveURL(/user=bob/)
    const url = page.url()
    const other = await context.newPage()
    await other.goto(url)
    await expect(other.getByLabel("Command line", { exact: true })).toHaveValue(WMIC)
    await expect(other.getByLabel("User (optional)")).toHaveValue("bob")
    await expect(other.getByTestId("fired-rule").first().getByRole("link").first()).toHaveText("WMIC Remote Process Launch")
    expect(problems).toEqual([])
  })

  test("a renamed binary fires by its original file name; the built events can be edited and re-run", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill("C:\\Users\\Public\\svc.exe /node:10.0.0.5 process call create calc.exe")
    await expect(page.getByRole("status")).toHaveText(/Evaluated against \d+ rules/)
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" })).toHaveCount(0)
    await page.getByLabel("Original file name (optional)").fill("wmic.exe")
    await expect(page.getByTestId("fired-rule").first().getByRole("link").first()).toHaveText("WMIC Remote Process Launch")
    await expect(page).toHaveURL(/ofn=wmic\.exe/)
    await page.getByText("Built events (CIM, Sysmon 1, Security 4688)").click()
    await expect(page.getByTestId("built-events")).toContainText('"OriginalFileName": "wmic.exe"')
    await page.getByRole("button", { name: "Edit these events" }).click()
    await expect(page.getByLabel("an event pasted as text")).toBeChecked()
    const pasted = page.getByLabel("Pasted event")
    await expect(pasted).toHaveValue(/"process_name": "svc.exe"/)
    await pasted.fill((await pasted.inputValue()).replace('"process_name": "svc.exe"', '"process_name": "wmic.exe"'))
    await expect(page.getByRole("heading", { name: "Event 1" })).toBeVisible()
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first()).toBeVisible()
    expect(problems).toEqual([])
  })

  test("a pasted Windows event JSON fires the same rule", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("an event pasted as text").check()
    await page.getByLabel("Pasted event").fill(EVTX)
    await expect(page.getByTestId("fired-rule").first().getByRole("link").first()).toHaveText("WMIC Remote Process Launch")
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("bad pasted input shows what could not be read", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("an event pasted as text").check()
    await page.getByLabel("Pasted event").fill('{"Event": {"System": ')
    const alert = page.getByRole("alert").filter({ hasText: "Could not read the pasted event" })
    await expect(alert).toBeVisible()
    await page.getByLabel("Pasted event").fill("hello")
    await expect(alert).toContainText("expected a JSON object")
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("a 1 MB command line does not freeze the page", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(`cmd.exe /c echo ${"A".repeat(1_000_000)}`)
    const user = page.getByLabel("User (optional)")
    const t0 = Date.now()
    await user.click()
    await expect(user).toBeFocused({ timeout: 1000 })
    expect(Date.now() - t0).toBeLessThan(1000)
    await expect(page.getByRole("status")).toContainText(/Evaluated against \d+ rules/, { timeout: 20_000 })
    await expect(page.getByText("too long for a permalink")).toBeVisible()
    expect(problems).toEqual([])
  })
})
