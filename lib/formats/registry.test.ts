import { describe, expect, it } from "vitest"

import { FORMATS, claimingFormat } from "./registry.ts"
import { FORMAT_TESTERS } from "./testers.ts"

describe("format registry", () => {
  it("lists the same formats in the same order on the light side, with unique ids", () => {
    expect(FORMAT_TESTERS.map((f) => f.id)).toEqual(FORMATS.map((f) => f.id))
    expect(new Set(FORMATS.map((f) => f.id)).size).toBe(FORMATS.length)
    FORMATS.forEach((f, i) => expect(f.tester).toBe(FORMAT_TESTERS[i]?.tester))
  })
  it("hands a file to the first format that claims it, and says why nobody did", () => {
    expect(
      claimingFormat({
        path: "x/a.yml",
        rel: "a.yml",
        text: "title: t\nlogsource: {product: windows}\ndetection: {s: {a: 1}, condition: s}\n",
      }).format?.id,
    ).toBe("sigma")
    expect(claimingFormat({ path: "x/detections/a.yml", rel: "detections/a.yml", text: "name: x\n" }).format?.id).toBe(
      "splunk",
    )
    expect(claimingFormat({ path: "x/README.md", rel: "README.md", text: "# hi" })).toEqual({
      reason: "outside the content folders (detections, macros, stories, data_sources, lookups)",
    })
  })
})
