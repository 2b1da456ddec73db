import { describe, expect, it } from "vitest"
import { absolutizeLayer, attackMajor, buildNavigatorLayer, layerFileName, validateLayer } from "./navigator.ts"

const layer = buildNavigatorLayer({
  name: "Coverage",
  description: "test",
  attackVersion: "18.1",
  techniques: {
    "T1021.006": [{ name: "WinRM rule", url: "/rules/splunk/winrm/" }],
    T1047: [
      { name: "WMIC Remote Process Launch", url: "/rules/splunk/wmic/" },
      { name: "WMI other", url: "https://example.org/x" },
    ],
    T1059: [],
  },
})

describe("buildNavigatorLayer", () => {
  it("produces a layer the 4.5 format accepts", () => {
    expect(validateLayer(layer)).toEqual([])
    expect(layer.versions).toEqual({ attack: "18", navigator: "5.1", layer: "4.5" })
    expect(layer.domain).toBe("enterprise-attack")
    expect(JSON.parse(JSON.stringify(layer))).toEqual(layer)
  })

  it("has one entry per covered technique, score = rule count, comment and links = rules", () => {
    expect(layer.techniques.map((t) => [t.techniqueID, t.score])).toEqual([
      ["T1021.006", 1],
      ["T1047", 2],
    ])
    const wmi = layer.techniques[1]
    expect(wmi?.comment).toBe("WMIC Remote Process Launch; WMI other")
    expect(wmi?.links).toEqual([
      { label: "WMIC Remote Process Launch", url: "/rules/splunk/wmic/" },
      { label: "WMI other", url: "https://example.org/x" },
    ])
    expect(wmi?.enabled).toBe(true)
    expect(layer.gradient.maxValue).toBe(2)
    expect(layer.legendItems.length).toBeGreaterThan(0)
  })

  it("makes site-absolute links absolute", () => {
    const abs = absolutizeLayer(layer, "https://atlas.example/base/")
    expect(abs.techniques[1]?.links.map((l) => l.url)).toEqual([
      "https://atlas.example/base/rules/splunk/wmic/",
      "https://example.org/x",
    ])
    expect(validateLayer(abs)).toEqual([])
  })
})

describe("validateLayer", () => {
  it("reports missing or wrong required fields", () => {
    expect(validateLayer(null)).toEqual(["layer is not an object"])
    const bad = {
      ...layer,
      name: "",
      versions: { ...layer.versions, layer: "4.4" },
      domain: "x",
      techniques: [{ techniqueID: "1047", score: "2" }],
    }
    expect(validateLayer(bad)).toEqual([
      "name must be a non-empty string",
      'versions.layer must be "4.5"',
      "domain must be an ATT&CK domain",
      "techniques[0].techniqueID is not a technique id",
      "techniques[0].score must be a number",
    ])
  })
  it("helpers", () => {
    expect(attackMajor("18.1")).toBe("18")
    expect(attackMajor("unknown")).toBe("unknown")
    expect(layerFileName("T1021.006")).toBe("detection-atlas-t1021.006-layer.json")
    expect(layerFileName("Matrix: Type=Correlation")).toBe("detection-atlas-matrix-type-correlation-layer.json")
  })
})
