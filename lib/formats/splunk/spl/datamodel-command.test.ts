import { describe, expect, it } from "vitest"

import { parseDatamodelCommand } from "./datamodel-command.ts"
import { analyzeSpl, compileRule, matchRule } from "./index.ts"

const SEARCH = [
  "| datamodel Endpoint Processes search strict_fields=false",
  "``` Description is not an Endpoint.Processes field ```",
  '| search Processes.process_name="wmic.exe" Description="WMI Commandline Utility"',
  '| where match(Processes.process, "(?i)/node:")',
].join("\n")

describe("| datamodel <Model> <Dataset> search", () => {
  it("reads the form Splunk documents, and nothing else", () => {
    expect(parseDatamodelCommand(" Endpoint Processes search strict_fields=false")).toEqual({
      datamodel: "Endpoint.Processes",
      mode: "search",
      prefixes: ["Processes"],
      strictFields: false,
    })
    expect(parseDatamodelCommand("Network_Traffic All_Traffic flat")).toMatchObject({
      prefixes: [],
      strictFields: true,
    })
    // The JSON modes and the acceleration search return no events.
    expect(parseDatamodelCommand("Endpoint")).toBeUndefined()
    expect(parseDatamodelCommand("Endpoint Processes")).toBeUndefined()
    expect(parseDatamodelCommand("Endpoint Processes acceleration_search")).toBeUndefined()
    expect(parseDatamodelCommand("Endpoint Processes search earliest=-1d")).toBeUndefined()
  })

  it("judges one event in the data model's shape carrying the add-on's own fields", () => {
    const a = analyzeSpl(SEARCH, new Map())
    expect(a.evaluability.evaluable).toBe(true)
    expect(a.datamodel).toMatchObject({ name: "Endpoint.Processes", prefixes: ["Processes"] })
    const rule = compileRule(a)
    const event = {
      "Processes.process_name": "WMIC.exe",
      "Processes.process": "wmic /NODE:host process call create calc",
      Description: "WMI Commandline Utility",
    }
    expect(matchRule(rule, event, { metadata: "strict" })).toBe(true)
    expect(matchRule(rule, { ...event, Description: "Other" }, { metadata: "strict" })).toBe(false)
    const { Description: _, ...withoutRaw } = event
    expect(matchRule(rule, withoutRaw, { metadata: "strict" })).toBe(false)
    expect(matchRule(rule, { ...event, "Processes.process": "wmic process list" }, { metadata: "strict" })).toBe(false)
  })

  it("does not judge a data-model search that keeps only the model's fields (strict_fields defaults to true)", () => {
    const a = analyzeSpl(SEARCH.replace(" strict_fields=false", ""), new Map())
    expect(a.evaluability.evaluable).toBe(false)
    expect(a.evaluability.reasons.map((r) => r.message).join()).toContain("strict_fields=false")
  })

  it("still leaves the other generating forms of datamodel and from unjudged", () => {
    expect(analyzeSpl("| datamodel Endpoint", new Map()).evaluability.evaluable).toBe(false)
    expect(analyzeSpl('| from datamodel:"Endpoint.Processes" | search x=1', new Map()).evaluability.evaluable).toBe(
      false,
    )
  })
})
