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
      .getByText(/\d+ rules · \d+ techniques covered/)
      .first()
      .textContent()) ?? ""
  const [, matrixRules, matrixTechniques] = /(\d+) rules · (\d+) techniques covered/.exec(matrix) ?? []
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
