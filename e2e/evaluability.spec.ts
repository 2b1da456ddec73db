import { expect, expectAccessible, test } from "./fixtures"

// A rule whose filter reads a field computed by `eval` (query_length = len(query)): decided by
// running the pipeline on the event, on the rule page and in the tester's worker.
const EVAL_RULE = "/rules/splunk/dns-query-with-unusually-long-subdomain/"
const LONG = `${"a1b2c3d4e5".repeat(8)}.tunnel.example`

test.describe("evaluability: one event, a log, or neither", () => {
  test("a rule filtering on an eval result is decided on one event, and says so", async ({ page, problems }) => {
    await page.goto(EVAL_RULE)
    const verdict = page.getByRole("region", { name: "Stages and predicates" }).getByTestId("evaluability")
    await expect(verdict).toContainText("Evaluable on a single event")
    await expect(verdict.getByTestId("evaluability-scope")).toHaveText("Decided on one event.")
    await expect(verdict.getByRole("list", { name: "Notes" })).toContainText(
      "decided by running the pipeline on the event",
    )
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("a threshold over many events needs a log", async ({ page, problems }) => {
    await page.goto("/rules/splunk/discovery-utility-burst-on-single-host/")
    const verdict = page.getByRole("region", { name: "Stages and predicates" }).getByTestId("evaluability")
    await expect(verdict).toContainText("Not evaluable on a single event (aggregation)")
    await expect(verdict.getByTestId("evaluability-scope")).toContainText("decided on a log of events")
    expect(problems).toEqual([])
  })

  test("the tester fires the eval rule on a long query and not on a short one", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("an event pasted as text").check()
    const pasted = page.getByLabel("Pasted event")
    await pasted.fill(JSON.stringify({ message_type: "QUERY", query: LONG, src: "10.0.0.7", record_type: "A" }))
    const fired = page.getByTestId("fired-rule").filter({ hasText: "DNS Query With Unusually Long Subdomain" })
    await expect(fired.first()).toBeVisible()
    await pasted.fill(
      JSON.stringify({ message_type: "QUERY", query: "www.example.com", src: "10.0.0.7", record_type: "A" }),
    )
    await expect(page.getByText(/\d+ not firing/)).toBeVisible()
    await expect(fired).toHaveCount(0)
    // Decided, not left open: absent from the undecided list, which renders its rows once unfolded
    // (the list is absent altogether when no rule is undecided).
    const undecided = page.locator("details", { hasText: "cannot be judged on one event" })
    if ((await undecided.count()) > 0) {
      await undecided.locator("summary").first().click()
      await expect(undecided.first().locator("li").first()).toBeVisible()
    }
    await expect(undecided.locator("a", { hasText: "DNS Query With Unusually Long Subdomain" })).toHaveCount(0)
    expect(problems).toEqual([])
  })
})
