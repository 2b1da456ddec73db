import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

import { afterAll, beforeAll, describe, expect, it } from "vitest"

import { loadCatalog } from "../../lib/catalog/load.node.ts"
import { headLinks } from "./assets.ts"
import { placeRulePages, renderRulePages, type RulePagesResult } from "./index.ts"

describe("headLinks", () => {
  it("takes the stylesheet and icon links of Next's head as written, and nothing else", () => {
    const css = `<link rel="stylesheet" href="/b/_next/static/chunks/a.css" data-precedence="next"/>`
    const icon = `<link rel="icon" href="/b/icon.svg?v=1&amp;w=2" sizes="any" type="image/svg+xml"/>`
    const html = `<html><head><meta charSet="utf-8"/>${css}<link rel="preload" as="script" href="/x.js"/>${icon}</head><body><link rel="stylesheet" href="/late.css"/></body></html>`
    expect(headLinks(html)).toBe(css + icon)
  })

  it("fails when Next's page has no stylesheet (a page without styles must not ship silently)", () => {
    expect(() => headLinks("<html><head></head><body></body></html>")).toThrow(/no stylesheet/)
  })
})

/** Renders content/'s rule pages under a base path and places them into a temporary out/, as scripts/build.ts does. */
describe("renderRulePages and placeRulePages on content/", () => {
  const out = mkdtempSync(join(tmpdir(), "atlas-rule-pages-"))
  const staging = mkdtempSync(join(tmpdir(), "atlas-rule-pages-staging-"))
  // Inside the project: the bundled renderer resolves react from node_modules by walking up.
  const work = resolve(".atlas/test-rule-pages")
  const catalog = loadCatalog({ roots: ["content"] })
  let result: RulePagesResult
  let patch: (html: string) => string

  beforeAll(async () => {
    mkdirSync(work, { recursive: true })
    writeFileSync(join(work, "catalog.json"), JSON.stringify(catalog))
    writeFileSync(
      join(out, "index.html"),
      `<!DOCTYPE html><html><head><link rel="stylesheet" href="/atlas/_next/static/chunks/site.css"/><link rel="icon" href="/atlas/icon.svg?i&amp;j"/></head><body></body></html>`,
    )
    result = await renderRulePages({
      stagingDir: staging,
      catalogFile: join(work, "catalog.json"),
      basePath: "/atlas",
      shards: 2,
      workDir: work,
      log: () => {},
    })
    patch = placeRulePages(staging, out)
  }, 120_000)
  afterAll(() => {
    rmSync(out, { recursive: true, force: true })
    rmSync(staging, { recursive: true, force: true })
    rmSync(work, { recursive: true, force: true })
  })

  it("writes one page per rule, split over the shards", () => {
    expect(result.pages).toBe(catalog.detections.length)
    for (const d of catalog.detections)
      expect(existsSync(join(out, "rules", d.format, d.slug, "index.html")), d.slug).toBe(true)
    expect(existsSync(staging)).toBe(false)
    expect(result.cpuMs).toBeGreaterThan(0)
  })

  it("a page is a whole document: title, description, Next's stylesheet and icon, one module script, base path on every site link", () => {
    const html = patch(readFileSync(join(out, "rules/splunk/wmic-remote-process-launch/index.html"), "utf8"))
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(html).toContain("<title>WMIC Remote Process Launch · Detection Atlas</title>")
    expect(html).toContain('<link rel="stylesheet" href="/atlas/_next/static/chunks/site.css"/>')
    expect(html).toContain('href="/atlas/icon.svg?i&amp;j"')
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    // The inline theme script (set before paint, hashed into the page's policy) and the island module.
    expect(scripts).toEqual([
      "<script>",
      expect.stringMatching(/^<script type="module" src="\/atlas\/_atlas\/rule-island-\w+\.js">$/),
    ])
    const hrefs = [...html.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!)
    expect(hrefs.length).toBeGreaterThan(10)
    expect(hrefs.filter((h) => !h.startsWith("/atlas/"))).toEqual([])
    expect(html).toContain('href="/atlas/techniques/t1047/"')
    expect(html).toContain('data-copy="Copy"')
    expect(html).toContain("data-search-trigger")
  })

  it("bundles the island, its palette chunk and the search worker, and points the palette at that worker", () => {
    const files = readdirSync(join(out, "_atlas"))
    const worker = files.find((f) => /^search\.worker-\w+\.js$/.test(f))
    expect(worker).toBeDefined()
    const chunks = files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(out, "_atlas", f), "utf8"))
    expect(chunks.some((c) => c.includes(`"./${worker}"`))).toBe(true)
    expect(chunks.some((c) => c.includes("search.worker.ts"))).toBe(false)
    // The base path reaches the worker's fetches.
    expect(readFileSync(join(out, "_atlas", worker!), "utf8")).toContain("/atlas")
  })
})
