import { describe, expect, it } from "vitest"
import { compile, evaluate, formatPredicate, numberLeaves, type Event } from "../../../predicate/index.ts"
import { parseSearch } from "./search-parser.ts"
import { splitPipes, stripComments, unescapeSpl } from "./text.ts"

const fmt = (s: string) => formatPredicate(parseSearch(s).predicate)
const match = (s: string, e: Event) =>
  evaluate(compile(numberLeaves(parseSearch(s).predicate)), e, { metadata: "strict" }).matched

describe("search precedence: OR binds tighter than AND", () => {
  it("groups juxtaposed terms around OR", () => {
    expect(fmt("a=1 b=2 OR c=3")).toBe("a=1 AND (b=2 OR c=3)")
    expect(fmt("sourcetype=x OR source=y EventCode=1")).toBe("(sourcetype=x OR source=y) AND EventCode=1")
    expect(fmt("a=1 AND b=2 OR c=3")).toBe("a=1 AND (b=2 OR c=3)")
  })
  it("NOT applies to the next term or group only", () => {
    expect(fmt("NOT a=1 b=2")).toBe("NOT a=1 AND b=2")
    expect(fmt("NOT (a=1 OR b=2) c=3")).toBe("NOT (a=1 OR b=2) AND c=3")
  })
  it("lower-case and/or/not are free-text terms", () => {
    expect(fmt("a=1 or b=2")).toBe('a=1 AND "or" AND b=2')
  })
  it("semantics follow the grouping", () => {
    expect(match("a=1 b=2 OR c=3", { a: "1", c: "3" })).toBe(true)
    expect(match("a=1 b=2 OR c=3", { b: "2", c: "3" })).toBe(false)
  })
})

describe("values", () => {
  it("are case-insensitive with * wildcards matching the whole value", () => {
    expect(match("Processes.process_name=winrs.exe", { "Processes.process_name": "WinRS.EXE" })).toBe(true)
    expect(match("p=*-r:*", { p: "x -R: y" })).toBe(true)
    expect(match("p=cmd*", { p: "xcmd.exe" })).toBe(false)
    expect(match("p=*.exe", { p: "a.EXE" })).toBe(true)
  })
  it("quoted and unquoted values mean the same; quotes allow spaces", () => {
    expect(match('p="a b"', { p: "A B" })).toBe(true)
    expect(match("p=ab", { p: "ab" })).toBe(match('p="ab"', { p: "ab" }))
  })
  it("allows spaces around the operator and quoted field names", () => {
    expect(fmt('eventName= ConsoleLogin dest = "x"')).toBe("eventName=ConsoleLogin AND dest=x")
    expect(match('"user.username"="system:anonymous"', { "user.username": "system:anonymous" })).toBe(true)
  })
  it("keeps balanced parentheses inside unquoted values", () => {
    expect(fmt("(Processes.process=*GetCurrent()* OR x=1)")).toBe('Processes.process="*GetCurrent()*" OR x=1')
  })
  it("CASE() forces case-sensitivity; TERM() is a raw term", () => {
    expect(match("p=CASE(Abc)", { p: "abc" })).toBe(false)
    expect(match("p=CASE(Abc)", { p: "Abc" })).toBe(true)
    expect(fmt("TERM(sudoedit)")).toBe('"sudoedit"')
  })
  it("field=* tests existence", () => {
    expect(match("f=*", { f: "" })).toBe(true)
    expect(match("NOT f=*", {})).toBe(true)
  })
})

describe("escapes", () => {
  it('\\\\ and \\" collapse, other backslashes stay', () => {
    expect(unescapeSpl("*\\\\Windows\\\\Temp\\\\*")).toBe("*\\Windows\\Temp\\*")
    expect(unescapeSpl("*\\Windows\\Temp\\*")).toBe("*\\Windows\\Temp\\*")
    expect(unescapeSpl("\\\\\\\\*")).toBe("\\\\*")
    expect(unescapeSpl('a\\"b')).toBe('a"b')
    expect(unescapeSpl("*\\temp\\*")).toBe("*\\temp\\*")
  })
  it("both spellings of a Windows path match the same event", () => {
    const e = { p: "C:\\Windows\\Temp\\x.exe" }
    expect(match('p="*\\\\Windows\\\\Temp\\\\*"', e)).toBe(true)
    expect(match('p="*\\Windows\\Temp\\*"', e)).toBe(true)
    expect(match('ShareName="\\\\\\\\*\\\\SYSVOL"', { ShareName: "\\\\dc01\\SYSVOL" })).toBe(true)
  })
  it("escaped pipes and quoted pipes do not split stages; comments are removed", () => {
    expect(splitPipes('a="x|y" b=c\\|d | stats count').length).toBe(2)
    expect(splitPipes("a=1 [search b=2 | head 1] | x").length).toBe(2)
    expect(stripComments("a=1 ```note | here``` | b")).toBe("a=1   | b")
  })
})

describe("!= versus NOT", () => {
  const rows: Array<[string, Event, boolean]> = [
    ["f=a", {}, false],
    ["f!=a", {}, false],
    ["NOT f=a", {}, true],
    ["f!=a", { f: "b" }, true],
    ["NOT f=a", { f: "a" }, false],
    ["f IN (a,b)", {}, false],
    ["NOT f IN (a,b)", {}, true],
    ["NOT f IN (a,b)", { f: "B" }, false],
  ]
  for (const [q, e, want] of rows) it(`${q} on ${JSON.stringify(e)} → ${want}`, () => expect(match(q, e)).toBe(want))
})

describe("IN", () => {
  it("accepts quotes, wildcards, missing commas and malformed quoting", () => {
    const p = parseSearch('QueryName IN ("*pastebin*",""*textbin*"" "x" y)').predicate
    expect(p).toMatchObject({ op: "in", field: "QueryName" })
    expect(match('q IN ("*pastebin*",""*textbin*"")', { q: "www.TEXTBIN.net" })).toBe(true)
    expect(match("q IN (a.exe b*)", { q: "bee" })).toBe(true)
  })
})

describe("special terms", () => {
  it("free text becomes a keyword leaf matched on _raw (unknown without _raw)", () => {
    expect(match('EventCode=7040 "disabled"', { EventCode: "7040", _raw: "Service was DISABLED" })).toBe(true)
    expect(match('EventCode=7040 "disabled"', { EventCode: "7040" })).toBe("unknown")
  })
  it("subsearches and unresolved macros are unknown leaves, never crashes", () => {
    const r = parseSearch("a=1 [| inputlookup x | fields y] `missing_macro`")
    expect(r.constructs).toEqual(["subsearch", "unresolved-macro"])
    expect(match("a=1 [search b=2]", { a: "2" })).toBe(false)
    expect(match("a=1 [search b=2]", { a: "1" })).toBe("unknown")
  })
  it("time modifiers are ignored and `*` alone matches everything", () => {
    expect(fmt("earliest=-24h a=1")).toBe("a=1")
    expect(match("*", {})).toBe(true)
  })
  it("recovers from stray parentheses with an error", () => {
    const r = parseSearch("a=1 ) b=2")
    expect(r.errors.length).toBe(1)
    expect(formatPredicate(r.predicate)).toBe("a=1 AND b=2")
  })
})
