import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import type { AttackData } from "./model.ts"
import {
  KILL_CHAIN_BY_TACTIC,
  analyticsOf,
  buildAttackIndex,
  detectionStrategiesOf,
  killChainPhaseOf,
  killChainPhases,
  resolveTechnique,
  subTechniquesOf,
  tacticPosition,
  tacticsInOrder,
  tacticsOf,
} from "./model.ts"
import { compactFromStix } from "./stix.ts"

const mini = compactFromStix(
  JSON.parse(readFileSync(new URL("./__fixtures__/mini-bundle.json", import.meta.url), "utf8")),
)
const index = buildAttackIndex(mini)

describe("resolveTechnique", () => {
  it("knows a live technique, case-insensitively", () => {
    for (const id of ["T1021.006", "t1021.006", "  T1021.006 "]) {
      const r = resolveTechnique(index, id)
      expect(r.status).toBe("known")
      expect(r.technique?.name).toBe("Windows Remote Management")
      expect(r.replacement).toBeUndefined()
    }
  })

  it("flags a revoked technique and names its replacement", () => {
    const r = resolveTechnique(index, "t1028")
    expect(r.status).toBe("revoked")
    expect(r.technique?.id).toBe("T1028")
    expect(r.replacement?.id).toBe("T1021.006")
  })

  it("flags a deprecated technique", () => {
    expect(resolveTechnique(index, "T1064").status).toBe("deprecated")
  })

  it("returns unknown, never throws, for ids it does not have", () => {
    for (const id of ["T9999", "", "T", "TA0002", "not an id", "T1021.999"]) {
      expect(resolveTechnique(index, id)).toEqual({ status: "unknown" })
    }
  })

  it("follows a chain of revocations and survives loops", () => {
    const data: AttackData = {
      ...mini,
      techniques: [
        { id: "T1", name: "a", tactics: [], revoked: true, replacedBy: "T2" },
        { id: "T2", name: "b", tactics: [], revoked: true, replacedBy: "T3" },
        { id: "T3", name: "c", tactics: ["execution"] },
        { id: "T4", name: "d", tactics: [], revoked: true, replacedBy: "T5" },
        { id: "T5", name: "e", tactics: [], revoked: true, replacedBy: "T4" },
        { id: "T6", name: "f", tactics: [], revoked: true, replacedBy: "T404" },
      ],
    }
    const chain = buildAttackIndex(data)
    expect(resolveTechnique(chain, "T1").replacement?.id).toBe("T3")
    expect(resolveTechnique(chain, "T4").status).toBe("revoked")
    expect(resolveTechnique(chain, "T4").replacement).toBeUndefined()
    expect(resolveTechnique(chain, "T6").replacement).toBeUndefined()
  })
})

describe("tactics", () => {
  it("keeps matrix order", () => {
    expect(tacticsInOrder(index).map((t) => t.id)).toEqual(["TA0002", "TA0008"])
    expect(tacticPosition(index, "Lateral Movement")).toBe(1)
    expect(tacticPosition(index, "impact")).toBe(-1)
  })

  it("gives a sub-technique its own tactics and unknown ids none", () => {
    expect(tacticsOf(index, "T1021.006").map((t) => t.shortname)).toEqual(["lateral-movement"])
    expect(tacticsOf(index, "T1028").map((t) => t.shortname)).toEqual(["execution", "lateral-movement"])
    expect(tacticsOf(index, "T9999")).toEqual([])
  })

  it("inherits the parent's tactics only when a sub-technique lists none", () => {
    const data: AttackData = {
      ...mini,
      techniques: [...mini.techniques, { id: "T1021.099", name: "x", tactics: [], parent: "T1021" }],
    }
    expect(tacticsOf(buildAttackIndex(data), "T1021.099").map((t) => t.id)).toEqual(["TA0008"])
  })

  it("lists sub-techniques of a parent", () => {
    expect(subTechniquesOf(index, "t1021").map((t) => t.id)).toEqual(["T1021.006"])
    expect(subTechniquesOf(index, "T1047")).toEqual([])
  })
})

describe("kill chain (contentctl mapping)", () => {
  it("maps every tactic as contentctl does", () => {
    expect(killChainPhaseOf("Reconnaissance")).toBe("Reconnaissance")
    expect(killChainPhaseOf("Resource Development")).toBe("Weaponization")
    expect(killChainPhaseOf("Initial Access")).toBe("Delivery")
    expect(killChainPhaseOf("Execution")).toBe("Installation")
    expect(killChainPhaseOf("Persistence")).toBe("Installation")
    for (const t of [
      "Privilege Escalation",
      "Defense Evasion",
      "Credential Access",
      "Discovery",
      "Lateral Movement",
      "Collection",
      "Stealth",
      "Defense Impairment",
    ]) {
      expect(killChainPhaseOf(t)).toBe("Exploitation")
    }
    expect(killChainPhaseOf("Command And Control")).toBe("Command and Control")
    expect(killChainPhaseOf("command-and-control")).toBe("Command and Control")
    expect(killChainPhaseOf("Exfiltration")).toBe("Actions on Objectives")
    expect(killChainPhaseOf("Impact")).toBe("Actions on Objectives")
    expect(killChainPhaseOf("toString")).toBeUndefined()
    expect(Object.keys(KILL_CHAIN_BY_TACTIC)).toHaveLength(16)
  })

  it("returns sorted unique phases and skips unknown ids", () => {
    expect(killChainPhases(["T1021", "T1021.006"], index)).toEqual(["Exploitation"])
    expect(killChainPhases(["T1028", "T9999", "T1021"], index)).toEqual(["Exploitation", "Installation"])
    expect(killChainPhases([], index)).toEqual([])
  })
})

describe("detections", () => {
  it("links strategies and analytics to a technique", () => {
    expect(detectionStrategiesOf(index, "t1021.006").map((s) => s.id)).toEqual(["DET0477"])
    expect(detectionStrategiesOf(index, "T1021")).toEqual([])
    expect(analyticsOf(index, "T1021.006")).toEqual([
      {
        id: "AN1313",
        strategy: "DET0477",
        platforms: ["Windows"],
        logSources: [
          {
            dataComponent: "DC0032",
            dataComponentName: "Process Creation",
            name: "WinEventLog:Sysmon",
            channel: "EventCode=1",
          },
        ],
      },
    ])
  })
})
