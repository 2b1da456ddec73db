import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { compileCatalog } from "./match.ts"
import { EMPTY_FORM, formToHash, hashToForm, runTester } from "./run.ts"

describe("tester form ↔ hash", () => {
  it("round-trips every field, including quotes, & and #", () => {
    const f = { ...EMPTY_FORM, cmd: 'wmic /node:10.0.0.5 process call create "cmd.exe /c a&b #x"', parent: "C:\\x y\\p.exe", user: "bob", threshold: 40 }
    expect(hashToForm(formToHash(f))).toEqual(f)
    const e = { ...EMPTY_FORM, mode: "event" as const, event: '{"a":"=b"}' }
    expect(hashToForm(formToHash(e))).toEqual(e)
    expect(formToHash(EMPTY_FORM)).toBe("")
  })
})

describe("runTester", () => {
  const catalog = compileCatalog(loadCatalog().detections)
  it("matches a command line and reports parse errors", () => {
    const r = runTester(catalog, { id: 1, form: { ...EMPTY_FORM, cmd: 'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"' } })
    expect(r.ok && r.reports[0]?.fired[0]?.name).toBe("WMIC Remote Process Launch")
    const bad = runTester(catalog, { id: 2, form: { ...EMPTY_FORM, mode: "event", event: "{oops" } })
    expect(bad).toMatchObject({ ok: false, kind: "parse" })
  })
})
