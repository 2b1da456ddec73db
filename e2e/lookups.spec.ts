import { expect, expectAccessible, test } from "./fixtures"

// content/: "Remote Support Tool Started On Host" reads raw Sysmon EventID 1, looks the add-on's
// process_name up in the atlas_remote_support_tools table and keeps the rows that matched.
const RULE = "Remote Support Tool Started On Host"
const TABLE = /\/tester\/rules\/table-atlas_remote_support_tools\.[0-9a-f]+\.json$/
const CLOUDTRAIL = JSON.stringify({ eventSource: "s3.amazonaws.com", eventName: "GetObject", awsRegion: "eu-west-1" })

test.describe("tester lookups", () => {
  test("a lookup rule is decided in the browser: its table is fetched only when a rule it reaches needs it", async ({
    page,
    problems,
  }) => {
    const tableRequests: string[] = []
    page.on("request", (r) => {
      if (TABLE.test(new URL(r.url()).pathname)) tableRequests.push(r.url())
    })
    await page.goto("/tester/")

    // An event no lookup rule reaches: answered without the table.
    await page.getByLabel("an event pasted as text").check()
    await page.getByLabel("Pasted event").fill(CLOUDTRAIL)
    await expect(page.getByText("Events read (1)")).toBeVisible()
    await expect(page.getByText("No rule fires")).toBeVisible()
    expect(tableRequests).toEqual([])

    // A remote support tool started: the rule needs the table, the worker fetches it and decides.
    await page.getByLabel("process built from a command line").check()
    await page.getByLabel("Command line", { exact: true }).fill("AnyDesk.exe --with-connect-id 42")
    const fired = page.getByTestId("fired-rule").filter({ has: page.getByRole("link", { name: RULE, exact: true }) })
    await expect(fired).toHaveCount(1)
    await expect(fired.getByRole("link").first()).toHaveAttribute(
      "href",
      "/rules/splunk/remote-support-tool-started-on-host/",
    )
    expect(tableRequests).toHaveLength(1)
    // The raw Sysmon event the rule read carries the add-on's process_name, from the data source file.
    await page.getByText(/^Built events, one per shape/).click()
    await expect(page.getByTestId("built-events")).toContainText('"process_name": "AnyDesk.exe"')

    // Another program: decided the other way (not fired, not left open), the table not fetched again.
    await page.getByLabel("Command line", { exact: true }).fill("notepad.exe C:\\notes.txt")
    await expect(page).toHaveURL(/notepad/)
    await expect(page.getByTestId("built-events")).toContainText('"process_name": "notepad.exe"')
    await expect(page.getByRole("link", { name: RULE, exact: true })).toHaveCount(0)
    expect(tableRequests).toHaveLength(1)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })
})
