import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import type { AttackData } from "./model.ts"
import { AttackStixError, compactFromStix, formatAttackData, versionFromFileName } from "./stix.ts"

const fixture: unknown = JSON.parse(readFileSync(new URL("./__fixtures__/mini-bundle.json", import.meta.url), "utf8"))

const expected: AttackData = {
  version: "18.1",
  domain: "enterprise-attack",
  tactics: [
    { id: "TA0002", name: "Execution", shortname: "execution" },
    { id: "TA0008", name: "Lateral Movement", shortname: "lateral-movement" },
  ],
  techniques: [
    {
      id: "T1021",
      name: "Remote Services",
      tactics: ["lateral-movement"],
      platforms: ["Linux", "macOS", "Windows", "IaaS"],
    },
    {
      id: "T1021.006",
      name: "Windows Remote Management",
      tactics: ["lateral-movement"],
      parent: "T1021",
      platforms: ["Windows"],
    },
    {
      id: "T1028",
      name: "Windows Remote Management",
      tactics: ["execution", "lateral-movement"],
      platforms: ["Windows"],
      revoked: true,
      replacedBy: "T1021.006",
    },
    {
      id: "T1064",
      name: "Scripting",
      tactics: ["execution"],
      platforms: ["Linux", "macOS", "Windows"],
      deprecated: true,
    },
  ],
  detectionStrategies: [
    {
      id: "DET0477",
      name: "Behavioral Detection of WinRM-Based Remote Access",
      techniques: ["T1021.006"],
      analytics: ["AN1313"],
    },
  ],
  analytics: [
    {
      id: "AN1313",
      platforms: ["Windows"],
      logSources: [{ dataComponent: "DC0032", name: "WinEventLog:Sysmon", channel: "EventCode=1" }],
    },
  ],
  dataComponents: [{ id: "DC0032", name: "Process Creation" }],
}

describe("compactFromStix", () => {
  it("compacts the mini bundle to facts only", () => {
    expect(compactFromStix(fixture, { fallbackVersion: "18.1" })).toEqual(expected)
  })

  it("keeps no description text", () => {
    const text = JSON.stringify(compactFromStix(fixture))
    expect(text).not.toMatch(/Adversaries may|description|trying to/i)
  })

  it("does not depend on the order of objects in the bundle", () => {
    const bundle = fixture as { objects: unknown[] }
    const reversed = { ...bundle, objects: [...bundle.objects].reverse() }
    expect(compactFromStix(reversed, { fallbackVersion: "18.1" })).toEqual(expected)
  })

  it("takes the version from the option, then x-mitre-collection, then the fallback", () => {
    const bundle = fixture as { objects: unknown[] }
    const withCollection = {
      ...bundle,
      objects: [
        ...bundle.objects,
        { type: "x-mitre-collection", id: "x-mitre-collection--1", x_mitre_version: "17.0" },
      ],
    }
    expect(compactFromStix(fixture).version).toBe("unknown")
    expect(compactFromStix(withCollection, { fallbackVersion: "18.1" }).version).toBe("17.0")
    expect(compactFromStix(withCollection, { version: "18.2" }).version).toBe("18.2")
  })

  it("derives a sub-technique's parent from its id when the relationship is missing", () => {
    const bundle = fixture as { objects: Array<Record<string, unknown>> }
    const objects = bundle.objects.filter((o) => o.relationship_type !== "subtechnique-of")
    const data = compactFromStix({ ...bundle, objects })
    expect(data.techniques.find((t) => t.id === "T1021.006")?.parent).toBe("T1021")
  })

  it("rejects input that is not an ATT&CK bundle", () => {
    expect(() => compactFromStix(null)).toThrow(AttackStixError)
    expect(() => compactFromStix({ type: "bundle" })).toThrow(/not a STIX bundle/)
    expect(() => compactFromStix({ type: "bundle", objects: [] })).toThrow(/no x-mitre-matrix/)
  })
})

describe("versionFromFileName", () => {
  it("reads the release from ATT&CK file names", () => {
    expect(versionFromFileName("../shared/corpora/attack/enterprise-attack-18.1.json")).toBe("18.1")
    expect(versionFromFileName("C:\\x\\enterprise-attack-v17.json")).toBe("17")
    expect(versionFromFileName("enterprise-attack.json")).toBeUndefined()
  })
})

describe("formatAttackData", () => {
  it("writes valid JSON with one record per line", () => {
    const text = formatAttackData(expected)
    expect(JSON.parse(text)).toEqual(expected)
    const lines = text.split("\n")
    expect(lines).toContain(
      '{"id":"T1021.006","name":"Windows Remote Management","tactics":["lateral-movement"],"parent":"T1021","platforms":["Windows"]},',
    )
    expect(text.endsWith("}\n")).toBe(true)
  })
})
