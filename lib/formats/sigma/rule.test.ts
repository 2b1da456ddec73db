import { describe, expect, it } from "vitest"

import { compile, evaluate, type Event } from "../../predicate/index.ts"
import { readSigmaText } from "./index.ts"

/** A whole rule file around a detection block, as authors write it. */
function ruleText(detection: string, extra = ""): string {
  return `title: Test rule
id: 5f0c6a3e-1b2d-4c8e-9f00-0a1b2c3d4e5f
status: test
logsource:
  product: windows
  category: process_creation
detection:
${detection
  .trim()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
level: medium
${extra}`
}

function load(detection: string) {
  const r = readSigmaText("t.yml", ruleText(detection))
  const errors = r.diagnostics.filter((d) => d.severity === "error")
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join("; "))
  const rule = r.rules[0]?.rule
  if (!rule) throw new Error("no rule")
  return rule
}

/** Does the rule fire on the event? */
function fires(detection: string, event: Event): boolean | "unknown" {
  const rule = load(detection)
  return evaluate(compile(rule.analysis.predicate), event).matched
}

function errorOf(detection: string): string {
  const r = readSigmaText("t.yml", ruleText(detection))
  return r.diagnostics
    .filter((d) => d.severity === "error")
    .map((d) => `${d.line}:${d.code}:${d.message}`)
    .join("; ")
}

describe("plain values", () => {
  it("is case-insensitive and matches the whole value", () => {
    const d = "selection:\n  Image: 'C:\\Windows\\System32\\cmd.exe'\ncondition: selection"
    expect(fires(d, { Image: "c:\\windows\\system32\\CMD.EXE" })).toBe(true)
    expect(fires(d, { Image: "C:\\Windows\\System32\\cmd.exe.bak" })).toBe(false)
  })
  it("honours * and ? wildcards", () => {
    expect(fires("sel:\n  Image: '*\\cm?.exe'\ncondition: sel", { Image: "C:\\x\\cmd.exe" })).toBe(true)
    expect(fires("sel:\n  Image: '*\\cm?.exe'\ncondition: sel", { Image: "C:\\x\\cmdd.exe" })).toBe(false)
  })
  it("treats escaped wildcards as literal text", () => {
    const d = "sel:\n  CommandLine|endswith: '/tn \\*'\ncondition: sel"
    expect(fires(d, { CommandLine: "schtasks /tn *" })).toBe(true)
    expect(fires(d, { CommandLine: "schtasks /tn foo" })).toBe(false)
    expect(fires("sel:\n  c-uri|endswith: '\\?manifest=wac'\ncondition: sel", { "c-uri": "/x?manifest=wac" })).toBe(
      true,
    )
    expect(fires("sel:\n  c-uri|endswith: '\\?manifest=wac'\ncondition: sel", { "c-uri": "/xamanifest=wac" })).toBe(
      false,
    )
  })
  it("a list of values is an OR", () => {
    const d = "sel:\n  Image|endswith:\n    - '\\a.exe'\n    - '\\b.exe'\ncondition: sel"
    expect(fires(d, { Image: "C:\\b.exe" })).toBe(true)
    expect(fires(d, { Image: "C:\\c.exe" })).toBe(false)
  })
  it("numbers match numbers and their text", () => {
    const d = "sel:\n  EventID: 4688\ncondition: sel"
    expect(fires(d, { EventID: 4688 })).toBe(true)
    expect(fires(d, { EventID: "4688" })).toBe(true)
    expect(fires(d, { EventID: 4689 })).toBe(false)
  })
  it("booleans match JSON booleans and their text", () => {
    const d = "sel:\n  Signed: true\ncondition: sel"
    expect(fires(d, { Signed: true })).toBe(true)
    expect(fires(d, { Signed: "TRUE" })).toBe(true)
    expect(fires(d, { Signed: "false" })).toBe(false)
  })
  it("null means absent; '' means present and empty", () => {
    expect(fires("sel:\n  User: null\ncondition: sel", {})).toBe(true)
    expect(fires("sel:\n  User: null\ncondition: sel", { User: "" })).toBe(false)
    expect(fires("sel:\n  User: ''\ncondition: sel", { User: "" })).toBe(true)
    expect(fires("sel:\n  User: ''\ncondition: sel", {})).toBe(false)
  })
  it("multi-valued event fields match when any value does", () => {
    expect(fires("sel:\n  Tags: b\ncondition: sel", { Tags: ["a", "b"] })).toBe(true)
  })
  it("keeps 00000429 a string (the YAML 1.1 integer quirk)", () => {
    const rule = load("sel:\n  Details|contains: 00000429\ncondition: sel")
    expect(JSON.stringify(rule.analysis.predicate)).toContain("*00000429*")
    expect(fires("sel:\n  Details|contains: 00000429\ncondition: sel", { Details: "x429" })).toBe(false)
  })
})

describe("modifiers", () => {
  it("contains / startswith / endswith", () => {
    expect(fires("s:\n  CommandLine|contains: ' /node:'\ncondition: s", { CommandLine: "wmic /node:1.2.3.4 x" })).toBe(
      true,
    )
    expect(fires("s:\n  CommandLine|startswith: 'wmic'\ncondition: s", { CommandLine: "WMIC /x" })).toBe(true)
    expect(fires("s:\n  CommandLine|startswith: 'wmic'\ncondition: s", { CommandLine: "x wmic" })).toBe(false)
    expect(fires("s:\n  Image|endswith: '\\wmic.exe'\ncondition: s", { Image: "C:\\W\\WMIC.exe" })).toBe(true)
  })
  it("all turns the value list into an AND", () => {
    const d = "s:\n  CommandLine|contains|all:\n    - 'process'\n    - 'create'\ncondition: s"
    expect(fires(d, { CommandLine: "process call create" })).toBe(true)
    expect(fires(d, { CommandLine: "process call" })).toBe(false)
  })
  it("windash expansions stay OR-groups inside all", () => {
    const d = "s:\n  CommandLine|contains|all|windash:\n    - ' -a '\n    - ' -b '\ncondition: s"
    expect(fires(d, { CommandLine: "x /a \u2013b y" })).toBe(true)
    expect(fires(d, { CommandLine: "x /a y" })).toBe(false)
  })
  it("windash matches the five dash forms", () => {
    const d = "s:\n  CommandLine|contains|windash: ' -enc '\ncondition: s"
    for (const dash of ["-", "/", "\u2013", "\u2014", "\u2015"])
      expect(fires(d, { CommandLine: `powershell ${dash}enc AAA` })).toBe(true)
    expect(fires(d, { CommandLine: "powershell +enc AAA" })).toBe(false)
  })
  it("cased compares case-sensitively, wildcards still work", () => {
    const d = "s:\n  CommandLine|contains|cased: 'NtDs'\ncondition: s"
    expect(fires(d, { CommandLine: "x NtDs y" })).toBe(true)
    expect(fires(d, { CommandLine: "x ntds y" })).toBe(false)
  })
  it("re is an unanchored, case-sensitive search; i, m, s are flags", () => {
    expect(fires("s:\n  CommandLine|re: '\\s-O\\s'\ncondition: s", { CommandLine: "curl -O x" })).toBe(true)
    expect(fires("s:\n  CommandLine|re: 'abc'\ncondition: s", { CommandLine: "xABCx" })).toBe(false)
    expect(fires("s:\n  CommandLine|re|i: 'abc'\ncondition: s", { CommandLine: "xABCx" })).toBe(true)
    expect(fires("s:\n  CommandLine|re: '(?i)abc'\ncondition: s", { CommandLine: "xABCx" })).toBe(true)
    expect(fires("s:\n  CommandLine|re|s: 'a.b'\ncondition: s", { CommandLine: "a\nb" })).toBe(true)
    expect(fires("s:\n  CommandLine|re: 'a.b'\ncondition: s", { CommandLine: "a\nb" })).toBe(false)
    expect(fires("s:\n  CommandLine|re|m: '^b$'\ncondition: s", { CommandLine: "a\nb" })).toBe(true)
  })
  it("base64 and base64offset|contains", () => {
    expect(fires("s:\n  CommandLine|base64|contains: 'cmd'\ncondition: s", { CommandLine: "x Y21k x" })).toBe(true)
    const d = "s:\n  CommandLine|base64offset|contains: 'http://'\ncondition: s"
    for (const v of ["aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"]) expect(fires(d, { CommandLine: `-e ${v}ZZZ` })).toBe(true)
    expect(fires(d, { CommandLine: "-e aHR0cHM6" })).toBe(false)
  })
  it("wide|base64offset|contains finds PowerShell -EncodedCommand text", () => {
    const d = "s:\n  CommandLine|wide|base64offset|contains: 'ping'\ncondition: s"
    expect(fires(d, { CommandLine: "powershell -enc JABhAD0AcABpAG4AZwA=" })).toBe(true)
    expect(fires(d, { CommandLine: "powershell -enc cABvAG4AZwA=" })).toBe(false)
  })
  it("utf16le is an alias of wide; utf16be and utf16 encode too", () => {
    expect(fires("s:\n  X|utf16le|base64: 'A'\ncondition: s", { X: "QQA=" })).toBe(true)
    expect(fires("s:\n  X|utf16be|base64: 'A'\ncondition: s", { X: "AEE=" })).toBe(true)
    expect(fires("s:\n  X|utf16|base64: 'A'\ncondition: s", { X: "//5BAA==" })).toBe(true)
  })
  it("cidr matches IPv4 and IPv6 networks; a missing field is false, so `not` holds", () => {
    const d = "s:\n  DestinationIp|cidr:\n    - '10.0.0.0/8'\n    - 'fe80::/10'\ncondition: s"
    expect(fires(d, { DestinationIp: "10.1.2.3" })).toBe(true)
    expect(fires(d, { DestinationIp: "fe80::1" })).toBe(true)
    expect(fires(d, { DestinationIp: "11.0.0.1" })).toBe(false)
    expect(fires(d, { DestinationIp: "not-an-ip" })).toBe(false)
    expect(fires("s:\n  DestinationIp|cidr: '10.0.0.0/8'\ncondition: not s", {})).toBe(true)
  })
  it("lt / lte / gt / gte compare numbers only", () => {
    expect(fires("s:\n  Size|gt: 100\ncondition: s", { Size: "150" })).toBe(true)
    expect(fires("s:\n  Size|gt: 100\ncondition: s", { Size: 100 })).toBe(false)
    expect(fires("s:\n  Size|gte: 100\ncondition: s", { Size: 100 })).toBe(true)
    expect(fires("s:\n  Size|lt: 100\ncondition: s", { Size: "abc" })).toBe(false)
    expect(fires("s:\n  Size|lte: 5\ncondition: s", { Size: 5 })).toBe(true)
  })
  it("fieldref compares two fields, case-insensitively; with endswith as a suffix", () => {
    const d = "s:\n  TargetFilename|fieldref: Image\ncondition: s"
    expect(fires(d, { TargetFilename: "C:\\a.exe", Image: "c:\\A.EXE" })).toBe(true)
    expect(fires(d, { TargetFilename: "C:\\a.exe", Image: "C:\\b.exe" })).toBe(false)
    expect(fires(d, { TargetFilename: "C:\\a.exe" })).toBe(false)
    expect(
      fires("s:\n  CommandLine|fieldref|endswith: Image\ncondition: s", {
        CommandLine: "run C:\\a.exe",
        Image: "c:\\a.exe",
      }),
    ).toBe(true)
    expect(fires("s:\n  CommandLine|fieldref|contains: User\ncondition: not s", { CommandLine: "x" })).toBe(true)
  })
  it("exists true / false", () => {
    expect(fires("s:\n  User|exists: true\ncondition: s", { User: "" })).toBe(true)
    expect(fires("s:\n  User|exists: true\ncondition: s", {})).toBe(false)
    expect(fires("s:\n  User|exists: false\ncondition: s", {})).toBe(true)
  })
  it("neq negates the entry, so an absent field satisfies it", () => {
    expect(fires("s:\n  User|neq: bob\ncondition: s", { User: "alice" })).toBe(true)
    expect(fires("s:\n  User|neq: bob\ncondition: s", { User: "BOB" })).toBe(false)
    expect(fires("s:\n  User|neq: bob\ncondition: s", {})).toBe(true)
  })
  it("expand loads but is labelled not evaluable", () => {
    const rule = load("s:\n  User|expand: '%Admins%'\ncondition: s")
    expect(rule.analysis.evaluable).toBe(false)
    expect(rule.analysis.reason).toMatch(/placeholder/)
  })
  it("rejects unknown modifiers, misplaced re/cidr/exists and bad values", () => {
    expect(errorOf("s:\n  Image|contain: x\ncondition: s")).toMatch(/unknown modifier `contain`/)
    expect(errorOf("s:\n  Image|contains|re: x\ncondition: s")).toMatch(/`re` must be the first modifier/)
    expect(errorOf("s:\n  Ip|cidr: '10.0.0.0/33'\ncondition: s")).toMatch(/not an IPv4 or IPv6 network/)
    expect(errorOf("s:\n  Size|gt: abc\ncondition: s")).toMatch(/needs a number/)
    expect(errorOf("s:\n  X|base64: 'a*'\ncondition: s")).toMatch(/wildcards/)
    expect(errorOf("s:\n  X|exists: yes\ncondition: s")).toMatch(/true or false/)
    expect(errorOf("s:\n  X:\n    - a\n    - null\ncondition: s")).toMatch(/null cannot be mixed/)
  })
  it("positions errors on the offending key", () => {
    expect(errorOf("s:\n  Image|contain: x\ncondition: s")).toMatch(/^9:sigma-modifier/)
  })
})

describe("search identifier shapes", () => {
  it("a map is an AND of its entries", () => {
    const d = "s:\n  Image|endswith: '\\wmic.exe'\n  CommandLine|contains: 'create'\ncondition: s"
    expect(fires(d, { Image: "C:\\wmic.exe", CommandLine: "call create" })).toBe(true)
    expect(fires(d, { Image: "C:\\wmic.exe", CommandLine: "get" })).toBe(false)
  })
  it("a list of maps is an OR of ANDs", () => {
    const d = "s:\n  - Image|endswith: '\\a.exe'\n    User: bob\n  - Image|endswith: '\\b.exe'\ncondition: s"
    expect(fires(d, { Image: "C:\\a.exe", User: "bob" })).toBe(true)
    expect(fires(d, { Image: "C:\\a.exe", User: "eve" })).toBe(false)
    expect(fires(d, { Image: "C:\\b.exe" })).toBe(true)
  })
  it("keywords search every value of the event as substrings", () => {
    const d = "keywords:\n  - 'shutdown'\n  - 'cat /dev/null >*sh_history'\ncondition: keywords"
    expect(fires(d, { msg: "system SHUTDOWN now" })).toBe(true)
    expect(fires(d, { a: "x", b: "cat /dev/null >~/.bash_history" })).toBe(true)
    expect(fires(d, { msg: "reboot" })).toBe(false)
  })
  it("'|all' keywords must all be found, possibly in different fields", () => {
    const d = "keywords:\n  '|all':\n    - 'alpha'\n    - 'beta'\ncondition: keywords"
    expect(fires(d, { a: "alpha", b: "beta" })).toBe(true)
    expect(fires(d, { a: "alpha" })).toBe(false)
  })
  it("rejects empty selections and null keywords", () => {
    expect(errorOf("s: []\ncondition: s")).toMatch(/empty list/)
    expect(errorOf("s: {}\ncondition: s")).toMatch(/empty map/)
  })
})

describe("conditions", () => {
  const sels =
    "selection_img:\n  Image|endswith: '\\wmic.exe'\nselection_cli:\n  CommandLine|contains: 'create'\nfilter_main:\n  User: SYSTEM\n_hidden:\n  User: nobody\n"
  const cases: Array<[string, Event, boolean]> = [
    ["all of selection_* and not 1 of filter_*", { Image: "C:\\wmic.exe", CommandLine: "create", User: "bob" }, true],
    [
      "all of selection_* and not 1 of filter_*",
      { Image: "C:\\wmic.exe", CommandLine: "create", User: "SYSTEM" },
      false,
    ],
    ["1 of selection_*", { CommandLine: "create" }, true],
    ["any of selection_*", { CommandLine: "get" }, false],
    ["selection_img or selection_cli", { Image: "C:\\wmic.exe" }, true],
    ["selection_img and (selection_cli or filter_main)", { Image: "C:\\wmic.exe", User: "system" }, true],
    ["selection_img and selection_cli or filter_main", { User: "system" }, true],
    ["not not selection_img", { Image: "C:\\wmic.exe" }, true],
    ["all of them", { Image: "C:\\wmic.exe", CommandLine: "create", User: "SYSTEM" }, true],
    ["1 of _hidden", { User: "nobody" }, true],
  ]
  it.each(cases)("%s", (cond, event, expected) => {
    expect(fires(`${sels}condition: ${cond}`, event)).toBe(expected)
  })
  it("`them` leaves out identifiers starting with _", () => {
    expect(fires(`${sels}condition: 1 of them`, { User: "nobody" })).toBe(false)
  })
  it("missing fields make a filter false, so `not filter` keeps the event", () => {
    expect(fires(`${sels}condition: selection_img and not filter_main`, { Image: "C:\\wmic.exe" })).toBe(true)
  })
  it("a list of conditions matches when any does", () => {
    expect(fires(`${sels}condition:\n  - selection_img\n  - selection_cli`, { CommandLine: "create" })).toBe(true)
  })
  it.each([
    ["selection_img AND selection_cli", /lower case/],
    ["selection_img and", /ends where an identifier/],
    ["(selection_img", /never closed/],
    ["selection_nope", /not a search identifier/],
    ["1 of nothing_*", /matches no search identifier/],
    ["selection_img | count() > 5", /legacy aggregation/],
    ["selection_img selection_cli", /unexpected/],
  ])("rejects %s", (cond, message) => {
    expect(errorOf(`${sels}condition: ${cond}`)).toMatch(message)
  })
  it("warns about identifiers the condition never uses", () => {
    const r = readSigmaText("t.yml", ruleText(`${sels}condition: selection_img`))
    expect(r.diagnostics.filter((d) => d.code === "sigma-unused").map((d) => d.message)).toHaveLength(3)
  })
  it("gives each leaf an id shared by the selections and the whole predicate", () => {
    const rule = load(`${sels}condition: selection_img and not filter_main`)
    const ids = rule.analysis.selections.map((s) => (s.predicate as { id: number }).id)
    expect(ids).toEqual([1, 2, 3, 4])
    expect(JSON.stringify(rule.analysis.predicate)).toContain('"id":3')
  })
})

describe("rule attributes and documents", () => {
  it("reads level, status, tags, related, references and false positives", () => {
    const r = readSigmaText(
      "t.yml",
      ruleText(
        "s:\n  Image: x\ncondition: s",
        "tags:\n  - attack.execution\n  - attack.stealth\n  - attack.t1047\n  - attack.t1685.001\n  - detection.threat-hunting\nrelated:\n  - id: 0b6a0c84-8f6d-4b0f-9f4c-5b0f4a8f1e11\n    type: similar\nreferences:\n  - https://example.org/x\nfalsepositives:\n  - Admin scripts\ndate: 2024/1/5\n",
      ),
    )
    const rule = r.rules[0]?.rule
    expect(rule?.techniques).toEqual(["T1047", "T1685.001"])
    expect(rule?.analysis.tactics).toEqual(["execution", "stealth"])
    expect(rule?.analysis.level).toBe("medium")
    expect(rule?.analysis.related).toEqual([{ id: "0b6a0c84-8f6d-4b0f-9f4c-5b0f4a8f1e11", type: "similar" }])
    expect(rule?.analysis.falsepositives).toEqual(["Admin scripts"])
    expect(rule?.date).toBe("2024-01-05")
  })
  it("rejects duplicate keys with their line", () => {
    const r = readSigmaText("t.yml", ruleText("s:\n  Image: a\n  Image: b\ncondition: s"))
    expect(r.rules).toHaveLength(0)
    expect(r.diagnostics[0]).toMatchObject({ code: "duplicate-key", line: 10 })
  })
  it("rejects bad status, level, logsource and id", () => {
    const bad = `title: x\nid: not-a-uuid\nstatus: beta\nlevel: severe\nlogsource:\n  definition: only text\ndetection:\n  s:\n    a: b\n  condition: s\n`
    const codes = readSigmaText("t.yml", bad).diagnostics.map((d) => `${d.line}:${d.message}`)
    expect(codes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2:id/),
        expect.stringMatching(/^3:status/),
        expect.stringMatching(/^4:level/),
        expect.stringMatching(/^6:`logsource` needs/),
      ]),
    )
  })
  it("loads every document of a multi-document file, correlations labelled not evaluable", () => {
    const text = `${ruleText("s:\n  Image: x\ncondition: s")}name: base_rule\n---\ntitle: Many of them\nid: 7b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\ncorrelation:\n  type: event_count\n  rules:\n    - base_rule\n  group-by:\n    - User\n  timespan: 1h\n  condition:\n    gte: 10\nlevel: high\n`
    const r = readSigmaText("t.yml", text)
    expect(r.rules.map((x) => x.rule.analysis.kind)).toEqual(["detection", "correlation"])
    const c = r.rules[1]?.rule.analysis
    expect(c?.evaluable).toBe(false)
    expect(c?.correlation).toEqual({
      type: "event_count",
      rules: ["base_rule"],
      groupBy: ["User"],
      timespan: "1h",
      condition: "gte 10",
    })
  })
  it("rejects legacy action documents", () => {
    const r = readSigmaText("t.yml", "action: global\ntitle: x\n")
    expect(r.rules).toHaveLength(0)
    expect(r.diagnostics[0]?.code).toBe("sigma-legacy")
  })
})
