import { existsSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { contentRoots, loadCatalog } from "../catalog/load.node.ts"
import { evaluable, exampleEvent, exampleShare, regexExample, testerLinks } from "./example-event.ts"
import { compileCatalog } from "./compile.ts"
import { runTester } from "./run.ts"
import { hashToForm } from "./form.ts"

describe("example events", () => {
  const detections = loadCatalog().detections
  it("every evaluable rule of content/, of every format, fires the example built from its own conditions", () => {
    const s = exampleShare(detections)
    expect(s.evaluable).toBeGreaterThan(5)
    expect(new Set(detections.filter(evaluable).map((d) => d.format))).toEqual(new Set(["splunk", "sigma", "elastic"]))
    expect(s.failing).toEqual([])
  })
  it("an Elastic rule testing several process.args gets one element per test, and fires as the tester reads the link", () => {
    const certutil = detections.find((d) => d.format === "elastic" && /certutil/i.test(d.name))!
    const r = exampleEvent(certutil)
    expect("event" in r && r.event["process.args"]).toEqual(expect.arrayContaining(["-urlcache"]))
    const form = hashToForm(testerLinks(certutil, () => undefined).example!.replace(/^\/tester\//, ""))
    const full = compileCatalog(detections)
    const res = runTester(full, { id: 1, form })
    expect(res.ok && res.reports[0]!.fired.map((f) => f.id)).toContain(certutil.id)
  })
  it("builds the WMI example from the rule's conditions and links it as a pasted event", () => {
    const wmi = detections.find((d) => d.format === "splunk" && /wmic/i.test(d.search) && /node/.test(d.search))!
    const r = exampleEvent(wmi)
    expect("event" in r && String(r.event.process)).toContain("/node:")
    const links = testerLinks(wmi, () => "<Event><System><EventID>1</EventID></System></Event>")
    const form = hashToForm(links.example!.replace(/^\/tester\//, ""))
    expect(form.mode).toBe("event")
    expect(JSON.parse(form.event)).toEqual("event" in r ? r.event : undefined)
    expect(links.exampleLogs.length).toBe(wmi.dataSources.length > 0 ? new Set(wmi.dataSources).size : 0)
  })
  it("inverts simple regular expressions, refuses the rest", () => {
    expect(regexExample("^C:\\\\Windows\\\\(System32|SysWOW64)\\\\[a-z]+\\.exe$")).toBe("C:\\Windows\\System32\\a.exe")
    expect(regexExample("\\d{3}-x?y+")).toBe("111-y")
    expect(regexExample("\\x{202E}")).toBeUndefined()
    expect(regexExample("a(?=b)")).toBeUndefined()
  })
})

const CORPORA = ["../shared/corpora/security_content", "../shared/corpora/sigma"]
describe.skipIf(!CORPORA.every((p) => existsSync(p)))("example events on both corpora", () => {
  it("at least 95 % of evaluable rules fire their own example", () => {
    const s = exampleShare(loadCatalog({ roots: contentRoots(CORPORA.join(",")) }).detections)
    console.log(`tester examples: ${s.fire}/${s.evaluable} (${s.share}) in ${s.ms} ms`)
    expect(s.fire / s.evaluable).toBeGreaterThanOrEqual(0.95)
  }, 120_000)
})
