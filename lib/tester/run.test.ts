import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { EVENT_SHAPE_DEFS } from "../events/shapes.ts"
import { compileCatalog } from "./match.ts"
import { builtToEventForm, EMPTY_FORM, formToHash, hashToForm, runTester } from "./run.ts"

describe("tester form ↔ hash", () => {
  it("round-trips every field, including quotes, & and #", () => {
    const f = {
      ...EMPTY_FORM,
      cmd: 'wmic /node:10.0.0.5 process call create "cmd.exe /c a&b #x"',
      parent: "C:\\x y\\p.exe",
      user: "bob",
      ofn: "wmic.exe",
      threshold: 40,
    }
    expect(hashToForm(formToHash(f))).toEqual(f)
    const e = { ...EMPTY_FORM, mode: "event" as const, event: '{"a":"=b"}' }
    expect(hashToForm(formToHash(e))).toEqual(e)
    expect(formToHash(EMPTY_FORM)).toBe("")
  })
})

describe("runTester", () => {
  const catalog = compileCatalog(loadCatalog().detections)
  it("matches a command line and reports parse errors", () => {
    const r = runTester(catalog, {
      id: 1,
      form: { ...EMPTY_FORM, cmd: 'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"' },
    })
    expect(r.ok && r.reports[0]?.fired[0]?.name).toBe("WMIC Remote Process Launch")
    // A renamed binary: only the original file name says it is WMIC.
    const renamed = { ...EMPTY_FORM, cmd: "C:\\Users\\Public\\svc.exe /node:10.0.0.5 process call create calc.exe" }
    const plain = runTester(catalog, { id: 3, form: renamed })
    // Asserted apart: a failed run must fail the test, not pass `not.toContain` on `false`.
    if (!plain.ok) throw new Error(`the renamed-binary run failed: ${plain.error}`)
    expect(plain.reports[0]?.fired.map((f) => f.name)).not.toContain("WMIC Remote Process Launch")
    const withOfn = runTester(catalog, { id: 4, form: { ...renamed, ofn: "wmic.exe" } })
    expect(withOfn.ok && withOfn.events[1]?.OriginalFileName).toBe("wmic.exe")
    expect(withOfn.ok && withOfn.reports[0]?.fired.map((f) => f.name)).toContain("WMIC Remote Process Launch")
    // The built events, edited as pasted events, still fire the rule from the CIM shape.
    const edited = builtToEventForm({ ...renamed, ofn: "wmic.exe" }, withOfn.ok ? withOfn.events : [])
    expect(edited.mode).toBe("event")
    const again = runTester(catalog, { id: 5, form: edited })
    expect(again.ok && again.reports.length).toBe(EVENT_SHAPE_DEFS.length)
    expect(again.ok && again.reports.some((r) => r.fired.some((f) => f.name === "WMIC Remote Process Launch"))).toBe(
      true,
    )
    const bad = runTester(catalog, { id: 2, form: { ...EMPTY_FORM, mode: "event", event: "{oops" } })
    expect(bad).toMatchObject({ ok: false, kind: "parse" })
  })
})
