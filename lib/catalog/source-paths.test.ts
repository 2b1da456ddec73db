import { cpSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"

import { afterAll, describe, expect, it } from "vitest"

import { absoluteRoots, loadCatalog, rootLabels, sourceUrls } from "./load.node.ts"
import { buildReport } from "./report.ts"
import { shownPath } from "./views.ts"

const TREE = "lib/catalog/__fixtures__/tree"
const outside = mkdtempSync(join(tmpdir(), "atlas-roots-"))
cpSync(TREE, join(outside, "security_content"), { recursive: true })
afterAll(() => rmSync(outside, { recursive: true, force: true }))

describe("content root labels", () => {
  it("shows a root inside the working directory by its relative path, one outside by its folder name", () => {
    expect(rootLabels(["content", "/srv/rules/sigma", "../x/security_content"], "/work/app")).toEqual([
      "content",
      "sigma",
      "security_content",
    ])
  })

  it("tells two roots of the same folder name apart", () => {
    expect(rootLabels(["/a/rules", "/b/rules", "/c/rules"], "/work/app")).toEqual(["rules", "rules-2", "rules-3"])
  })
})

describe("a catalog loaded from outside the working directory", () => {
  const root = join(outside, "security_content")
  const catalog = loadCatalog({ roots: [root] })

  it("holds no absolute path of the build machine, in records, diagnostics or the report", () => {
    expect(catalog.detections.length).toBeGreaterThan(0)
    const text = JSON.stringify({ catalog, report: buildReport(catalog, { strict: false }) })
    expect(text).not.toContain(outside)
    expect(catalog.roots).toEqual(["security_content"])
  })

  it("gives each rule its path inside its content root", () => {
    const d = catalog.detections.find((x) => x.name === "Fixture WMIC Remote Launch")
    expect(d?.source).toEqual({ root: "security_content", rel: "detections/endpoint/fixture_wmic_remote_launch.yml" })
    expect(d?.path).toBe("security_content/detections/endpoint/fixture_wmic_remote_launch.yml")
    expect(shownPath(catalog.roots, d?.path ?? "")).toBe("detections/endpoint/fixture_wmic_remote_launch.yml")
  })

  it("lists the absolute paths a leak check looks for", () => {
    expect(absoluteRoots([root])).toContain(resolve(root))
  })
})

describe("CATALOG_SOURCE_URL", () => {
  const roots = ["../corpora/security_content", "../corpora/sigma"]
  const labels = rootLabels(roots, "/work/app")

  it("takes one URL for the first root", () => {
    expect(sourceUrls(roots, labels, "https://example.org/sc/blob/develop/")).toEqual({
      security_content: "https://example.org/sc/blob/develop",
    })
  })

  it("takes dir=url pairs, by the root as given or its label", () => {
    expect(
      sourceUrls(
        roots,
        labels,
        "../corpora/security_content=https://example.org/sc/blob/develop, sigma=https://example.org/sigma/blob/master",
      ),
    ).toEqual({
      security_content: "https://example.org/sc/blob/develop",
      sigma: "https://example.org/sigma/blob/master",
    })
  })

  it("keeps only http(s) addresses", () => {
    expect(sourceUrls(roots, labels, "sigma=javascript:alert(1)")).toEqual({})
    expect(sourceUrls(roots, labels, "javascript:alert(1)")).toEqual({})
  })

  it("turns a rule's path into its upstream address", () => {
    const prev = process.env.CATALOG_SOURCE_URL
    process.env.CATALOG_SOURCE_URL = "https://example.org/sc/blob/develop"
    try {
      const c = loadCatalog({ roots: [join(outside, "security_content")] })
      const d = c.detections.find((x) => x.name === "Fixture WMIC Remote Launch")
      expect(d?.source?.url).toBe(
        "https://example.org/sc/blob/develop/detections/endpoint/fixture_wmic_remote_launch.yml",
      )
    } finally {
      if (prev === undefined) delete process.env.CATALOG_SOURCE_URL
      else process.env.CATALOG_SOURCE_URL = prev
    }
  })
})

describe("macro pages", () => {
  it("gives a page to every macro a rule page links, defined or not", async () => {
    const { indexCatalog, linkedMacroNames } = await import("./views.ts")
    const index = indexCatalog(loadCatalog({ roots: [TREE] }))
    const names = linkedMacroNames(index)
    for (const name of index.macrosByName.keys()) expect(names).toContain(name)
    for (const name of index.rulesByMacro.keys()) if (!name.endsWith("_filter")) expect(names).toContain(name)
    expect(names).toContain("drop_dm_object_name")
    expect(names.some((n) => n.endsWith("_filter") && !index.macrosByName.has(n))).toBe(false)
  })
})
