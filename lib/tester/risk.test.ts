import { describe, expect, it } from "vitest"

import type { Detection } from "../model/types.ts"
import { noRiskReason, riskOf } from "./risk.ts"

type RiskInput = Pick<Detection, "format" | "risk">

const read = (values: Record<string, string>) => (field: string) => values[field]

describe("risk a firing rule adds", () => {
  it("adds a Splunk risk object's score to the entity the event names, with its basis", () => {
    const d: RiskInput = {
      format: "splunk",
      risk: { score: 56, entities: [{ field: "dest", type: "system", score: 56, role: "risk", origin: "rba" }] },
    }
    expect(riskOf(d, read({ dest: "ws-042" }))).toEqual([
      { field: "dest", type: "system", score: 56, value: "ws-042", basis: "dest risk object score 56" },
    ])
    expect(noRiskReason(d)).toBeUndefined()
  })

  it("maps a Sigma level to the middle of its severity band, and says so when there is no level", () => {
    const high: RiskInput = { format: "sigma", risk: { severity: "high", entities: [] } }
    expect(riskOf(high, read({ User: "CORP\\bob" }))[0]).toMatchObject({ field: "user", score: 70, value: "CORP\\bob" })
    expect(noRiskReason({ format: "sigma", risk: { entities: [] } })).toBe("no risk score: the Sigma rule has no level")
  })

  it("names the score of a rule that has one but declares no risk object, and adds nothing", () => {
    const d: RiskInput = { format: "elastic", risk: { score: 73, severity: "high", entities: [] } }
    expect(riskOf(d, read({ dest: "ws-042" }))).toEqual([])
    expect(noRiskReason(d)).toBe("risk score 73, not added per entity: the rule declares no risk object")
    expect(noRiskReason({ format: "splunk", risk: { entities: [] } })).toBe(
      "no risk score: the rule declares no risk object",
    )
  })
})
