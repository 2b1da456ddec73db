import { describe, expect, it } from "vitest"

import { declaredRequiredFields, predicateFields, ruleFileName, sharedValueKey } from "./rule-extras.ts"

describe("rule extras", () => {
  it("lists every field a predicate reads, once", () => {
    expect(
      predicateFields({
        op: "and",
        args: [
          { op: "cmp", id: 1, field: "Image", cmpOp: "=", value: "*\\wmic.exe", lang: "search" },
          { op: "not", arg: { op: "in", id: 2, field: "CommandLine", values: ["a"], lang: "search" } },
          { op: "fieldcmp", id: 3, field: "user", cmpOp: "=", other: "src_user" },
          { op: "keyword", id: 4, value: "x" },
          { op: "cmp", id: 5, field: "Image", cmpOp: "=", value: "x", lang: "search" },
        ],
      } as never),
    ).toEqual(["CommandLine", "Image", "src_user", "user"])
    expect(predicateFields(undefined)).toEqual([])
  })

  it("reads declared required_fields from the YAML as written", () => {
    const raw =
      "name: x\ntags:\n  required_fields:\n  - _time\n  - 'Processes.process_name'\n  - dest\n  security_domain: endpoint\n"
    expect(declaredRequiredFields(raw)).toEqual(["_time", "Processes.process_name", "dest"])
    expect(declaredRequiredFields("name: x\n")).toEqual([])
  })

  it("compares indicator values across formats without wildcards or a leading separator", () => {
    expect(sharedValueKey("\\WMIC.exe")).toBe("wmic.exe")
    expect(sharedValueKey("*wmic.exe*")).toBe("wmic.exe")
    expect(sharedValueKey("*/c*")).toBeUndefined()
  })

  it("names the download after the rule's file", () => {
    expect(ruleFileName({ path: "security_content/detections/endpoint/wmic_remote.yml" })).toBe("wmic_remote.yml")
    expect(ruleFileName({ path: "sigma/rules/odd name!.yml" })).toBe("rule.yml")
  })
})
