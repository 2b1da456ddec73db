import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import { readSigmaText } from "../formats/sigma/index.ts"
import type { SigmaAnalysis } from "../formats/sigma/types.ts"
import { analyzeSpl } from "../formats/splunk/spl/index.ts"
import { roundTrip, roundTripEvents, roundTripRules } from "./round-trip.ts"
import { sigmaToSpl, type SplTarget } from "./sigma-to-spl.ts"

const ROOT = join(import.meta.dirname, "../..")
const CORPUS = join(ROOT, "../shared/corpora/sigma/rules/windows")

function rule(detection: string, logsource = "    category: process_creation\n    product: windows"): SigmaAnalysis {
  const text = `title: Test rule\nid: 5b0b7f51-1c1c-4a55-9f0a-0d6f4a5f0c11\nstatus: test\nlogsource:\n${logsource}\ndetection:\n${detection}\nlevel: high\n`
  const r = readSigmaText("t.yml", text)
  const first = r.rules[0]
  if (!first) throw new Error(r.diagnostics.map((d) => d.message).join("; "))
  return first.rule.analysis
}

function translate(sigma: SigmaAnalysis, target: SplTarget): string {
  const t = sigmaToSpl(sigma, target)
  if (!t.ok) throw new Error(t.reason)
  return t.search
}

/** Every generated event gets the same verdict from both engines. */
function expectRoundTrip(sigma: SigmaAnalysis, target: SplTarget, extra: Array<Record<string, string>> = []): number {
  const t = sigmaToSpl(sigma, target)
  if (!t.ok) throw new Error(t.reason)
  const r = roundTrip(sigma, t, [...roundTripEvents(sigma), ...extra])
  expect(r.disagreements).toEqual([])
  return r.pairs
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(n) ? [p] : []
  })
}

describe("Sigma → SPL writer", () => {
  it("keeps a literal asterisk literal: a regex, never a wildcard", () => {
    const s = rule("    sel:\n        CommandLine|contains: 'a\\*b'\n    condition: sel")
    const spl = translate(s, "spl-raw")
    expect(spl).toContain(`match(CommandLine, "(?si)^.*a\\\\*b.*$")`)
    expect(spl).not.toMatch(/CommandLine="[^"]*\\\*/)
    expectRoundTrip(s, "spl-raw", [{ CommandLine: "xa*bx" }, { CommandLine: "xa\\zbx" }, { CommandLine: "xab" }])
    expectRoundTrip(s, "spl-cim", [{ CommandLine: "xa*bx" }, { CommandLine: "xa\\zbx" }])
  })

  it("never hoists a term out of its OR group", () => {
    const s = rule(
      "    sel_img:\n        - Image|endswith: '\\rundll32.exe'\n        - OriginalFileName: 'RUNDLL32.EXE'\n    sel_cli:\n        CommandLine|contains: ',#'\n    condition: all of sel_*",
    )
    const spl = translate(s, "spl-raw")
    expect(spl).toContain(`\n  (Image="*\\\\rundll32.exe" OR OriginalFileName="RUNDLL32.EXE")\n  CommandLine="*,#*"`)
    expectRoundTrip(s, "spl-raw", [{ OriginalFileName: "rundll32.exe", CommandLine: "a,#1" }])
    expectRoundTrip(s, "spl-cim", [{ OriginalFileName: "rundll32.exe", CommandLine: "a,#1" }])
  })

  it("keeps the NOT around a regex filter in `not all of filter_*`", () => {
    const s = rule(
      "    sel:\n        Image|endswith: '\\cmd.exe'\n    filter_re:\n        CommandLine|re: '^/c \\d+$'\n    filter_parent:\n        ParentImage|endswith: '\\explorer.exe'\n    condition: sel and not all of filter_*",
    )
    const spl = translate(s, "spl-raw")
    expect(spl).toMatch(/\| where .*NOT|\| where .*!=/)
    expect(spl).toContain(`match(CommandLine, "^/c \\\\d+$")`)
    const pairs = expectRoundTrip(s, "spl-raw", [
      { Image: "C:\\cmd.exe", CommandLine: "/c 12", ParentImage: "C:\\explorer.exe" },
      { Image: "C:\\cmd.exe", CommandLine: "/c 12", ParentImage: "C:\\other.exe" },
      { Image: "C:\\cmd.exe", ParentImage: "C:\\explorer.exe" },
    ])
    expect(pairs).toBeGreaterThan(10)
    expectRoundTrip(s, "spl-cim", [{ Image: "C:\\cmd.exe", CommandLine: "/c 12", ParentImage: "C:\\explorer.exe" }])
  })

  it("is case-insensitive except `cased`, and a regex keeps its own case rules", () => {
    const s = rule(
      "    sel:\n        CommandLine|cased: 'Invoke-Mimikatz'\n    sel2:\n        CommandLine|re|i: 'sekurlsa'\n    condition: sel or sel2",
    )
    const spl = translate(s, "spl-raw")
    expect(spl).toContain(`match(CommandLine, "(?s)^Invoke\\\\-Mimikatz$")`)
    expect(spl).toContain(`match(CommandLine, "(?i)sekurlsa")`)
    expectRoundTrip(s, "spl-raw", [{ CommandLine: "invoke-mimikatz" }, { CommandLine: "SEKURLSA::x" }])
  })

  it("covers the other modifiers the corpus uses", () => {
    const cases: Array<[string, Array<Record<string, string>>]> = [
      ["    sel:\n        CommandLine|windash|contains: '-enc '\n    condition: sel", [{ CommandLine: "x /enc y" }]],
      ["    sel:\n        CommandLine|base64offset|contains: 'http://'\n    condition: sel", []],
      ["    sel:\n        CommandLine|contains|all:\n            - 'a'\n            - 'b'\n    condition: sel", []],
      [
        "    sel:\n        DestinationIp|cidr: '10.0.0.0/8'\n    condition: sel",
        [{ DestinationIp: "10.1.2.3" }, { DestinationIp: "11.0.0.1" }],
      ],
      [
        "    sel:\n        Image|exists: true\n        User|exists: false\n    condition: sel",
        [{ Image: "x", User: "y" }],
      ],
      ["    sel:\n        Image: null\n    condition: not sel", [{ Image: "" }]],
      [
        "    sel:\n        IntegrityLevel|gte: 3\n    condition: sel",
        [{ IntegrityLevel: "12" }, { IntegrityLevel: "High" }],
      ],
      ["    sel:\n        ParentImage|fieldref: Image\n    condition: not sel", [{ Image: "A", ParentImage: "a" }]],
      [
        "    keywords:\n        - 'mimikatz'\n        - 'sekurlsa'\n    condition: keywords",
        [{ CommandLine: "run MIMIKATZ now" }],
      ],
      ["    sel:\n        CommandLine: 'a?c'\n    condition: sel", [{ CommandLine: "abc" }, { CommandLine: "ac" }]],
      ["    sel:\n        CommandLine|endswith: 'C:\\\\'\n    condition: sel", [{ CommandLine: "cd C:\\" }]],
    ]
    for (const [detection, extra] of cases) {
      const s = rule(detection)
      const t = sigmaToSpl(s, "spl-raw")
      expect(t.ok, detection).toBe(true)
      if (t.ok) expect(analyzeSpl(t.search, new Map()).evaluability.evaluable, t.search).toBe(true)
      expectRoundTrip(s, "spl-raw", extra)
    }
  })

  it("says why when a rule cannot be translated", () => {
    const linux = rule(
      "    sel:\n        CommandLine: x\n    condition: sel",
      "    product: linux\n    category: process_creation",
    )
    expect(sigmaToSpl(linux, "spl-raw")).toMatchObject({ ok: false, reason: expect.stringContaining("linux") })
    const dns = rule(
      "    sel:\n        QueryName: x\n    condition: sel",
      "    product: windows\n    category: pipe_created",
    )
    expect(sigmaToSpl(dns, "spl-cim")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no CIM data model"),
    })
  })

  it("writes tstats over the CIM data set with the mapping's field names", () => {
    const s = rule(
      "    sel:\n        Image|endswith: '\\wmic.exe'\n        CommandLine|contains: '/node:'\n        ParentImage|endswith: 'cmd.exe'\n    condition: sel",
    )
    const spl = translate(s, "spl-cim")
    expect(spl).toMatch(/^\| tstats .*\n {2}from datamodel=Endpoint\.Processes\n {2}where /)
    expect(spl).toContain(`Processes.process_path="*\\\\wmic.exe"`)
    expect(spl).toContain(`Processes.process="*/node:*"`)
    // An ends-with test on a file name with no backslash reads the file name field.
    expect(spl).toContain(`Processes.parent_process_name="*cmd.exe"`)
    expectRoundTrip(s, "spl-cim")
  })
})

describe("Sigma → SPL: fields the data model lacks", () => {
  it("searches the data model's events, reading the add-on's own field beside the model's, and says why", () => {
    const s = rule(
      "    sel:\n        Image|endswith: '\\wmic.exe'\n        Description: 'WMI Commandline Utility'\n        CommandLine|re: '(?i)/node:'\n    condition: sel",
    )
    const t = sigmaToSpl(s, "spl-cim")
    expect(t).toMatchObject({ ok: true, form: "datamodel", rawFields: ["Description"] })
    const spl = translate(s, "spl-cim")
    expect(spl.split("\n")[0]).toBe("| datamodel Endpoint Processes search strict_fields=false")
    expect(spl).toContain("``` Not tstats: Description is not a field of Endpoint.Processes.")
    expect(spl).toContain(`Processes.process_path="*\\\\wmic.exe"`)
    expect(spl).toContain(`Description="WMI Commandline Utility"`)
    expect(spl).toContain(`| where match('Processes.process', "(?i)/node:")`)
    expect(analyzeSpl(spl, new Map()).evaluability.evaluable).toBe(true)
    // The raw field is read from the event: without it, or with another value, no match.
    expectRoundTrip(s, "spl-cim", [
      { Image: "C:\\Windows\\wbem\\WMIC.exe", CommandLine: "wmic /node:h", Description: "wmi commandline utility" },
      { Image: "C:\\Windows\\wbem\\WMIC.exe", CommandLine: "wmic /node:h" },
      { Image: "C:\\Windows\\wbem\\WMIC.exe", CommandLine: "wmic /node:h", Description: "Other" },
    ])
  })

  it("keeps a free-text keyword, read from the event text", () => {
    const kw = rule("    keywords:\n        - 'mimikatz'\n    condition: keywords")
    expect(sigmaToSpl(kw, "spl-cim")).toMatchObject({ ok: true, form: "datamodel", rawFields: ["_raw"] })
    expect(translate(kw, "spl-cim")).toContain("a free-text term reads the event text (_raw)")
    expectRoundTrip(kw, "spl-cim", [{ CommandLine: "x MIMIKATZ y" }, { CommandLine: "mimi" }])
  })

  it("keeps tstats when every field maps", () => {
    const s = rule("    sel:\n        CommandLine|contains: '/node:'\n    condition: sel")
    expect(sigmaToSpl(s, "spl-cim")).toMatchObject({ ok: true, form: "tstats" })
  })
})

describe("Sigma → SPL round trip", () => {
  it("agrees on every generated event for content/'s Sigma rules", () => {
    const files = walk(join(ROOT, "content/sigma"))
    const rules = files.flatMap((f) =>
      readSigmaText(f, readFileSync(f, "utf8")).rules.map(({ rule: r }) => ({ title: r.title, analysis: r.analysis })),
    )
    expect(rules.length).toBeGreaterThan(3)
    const groups = roundTripRules(rules, sigmaToSpl)
    const pc = groups.get("windows/process_creation")
    expect(pc?.translated["spl-raw"]).toBe(pc?.rules)
    expect(pc?.translated["spl-cim"]).toBe(pc?.rules)
    for (const [, g] of groups) {
      expect(g.disagreements).toEqual([])
      expect(g.agree).toEqual(g.pairs)
    }
  })

  it.skipIf(!existsSync(CORPUS))(
    "agrees on every generated event for a sample of SigmaHQ process_creation rules (corpus at ../shared/corpora/sigma)",
    () => {
      const files = walk(join(CORPUS, "process_creation"))
        .sort()
        .filter((_, i) => i % 8 === 0)
      const rules = files.flatMap((f) =>
        readSigmaText(f, readFileSync(f, "utf8")).rules.map(({ rule: r }) => ({
          title: r.title,
          analysis: r.analysis,
        })),
      )
      const g = roundTripRules(rules, sigmaToSpl).get("windows/process_creation")
      expect(g?.rules).toBeGreaterThan(100)
      expect(g?.translated["spl-raw"]).toBe(g?.rules)
      expect(g?.disagreements.map((d) => `${d.title} (${d.target})`)).toEqual([])
      expect(g?.pairs["spl-raw"]).toBeGreaterThan(1000)
    },
  )
})
