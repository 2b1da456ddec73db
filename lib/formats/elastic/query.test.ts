import { describe, expect, it } from "vitest"

import { compile, evaluate } from "../../predicate/index.ts"
import type { Event, Predicate } from "../../predicate/types.ts"
import { ECS_SHAPE, windowsArgv } from "../../events/ecs.ts"
import { shapeEvent } from "../../events/shapes.ts"
import { parseEql, QueryError } from "./eql.ts"
import { parseKql } from "./kql.ts"

const run = (p: Predicate, e: Event) => evaluate(compile(p), e).matched
const eql = (q: string, e: Event) => run(parseEql(q).stages[0]!.predicate, e)
const kql = (q: string, e: Event) => run(parseKql(q), e)
const proc = (extra: Event): Event => ({ "event.category": ["process"], "event.type": ["start"], ...extra })

describe("EQL", () => {
  it("== is case-sensitive, : ignores case", () => {
    expect(eql('process where process.parent.name == "mmc.exe"', proc({ "process.parent.name": "MMC.EXE" }))).toBe(
      false,
    )
    expect(eql('process where process.parent.name == "mmc.exe"', proc({ "process.parent.name": "mmc.exe" }))).toBe(true)
    expect(eql('process where process.parent.name : "mmc.exe"', proc({ "process.parent.name": "MMC.EXE" }))).toBe(true)
  })

  it("== on an array matches any element; not negates the any-result", () => {
    const e = proc({ "process.args": ["tool.exe", "/s", "x.inf"] })
    expect(eql('process where process.args == "/s"', e)).toBe(true)
    expect(eql('process where process.args == "/S"', e)).toBe(false)
    expect(eql('process where not process.args : "/S"', e)).toBe(false)
    expect(eql('process where process.args != "/s"', e)).toBe(false)
  })

  it("* is literal under == and in, a wildcard under : and like", () => {
    const e = proc({ "process.args": ["a.exe", "/text:name"] })
    expect(eql('process where process.args == "/text:*"', e)).toBe(false)
    expect(eql('process where process.args in ("/text:*")', e)).toBe(false)
    expect(eql('process where process.args : "/text:*"', e)).toBe(true)
    expect(eql('process where process.args == "/text:*"', proc({ "process.args": ["/text:*"] }))).toBe(true)
    expect(eql('process where process.args like "/TEXT:*"', e)).toBe(false)
    expect(eql('process where process.args like~ "/TEXT:*"', e)).toBe(true)
  })

  it("? is a one-character wildcard in patterns and the backslash is an ordinary character", () => {
    const e = proc({ "process.executable": "D:\\Windows\\System32\\cmd.exe" })
    expect(eql('process where process.executable : "?:\\\\Windows\\\\System32\\\\*"', e)).toBe(true)
    expect(eql('process where process.executable : "??:\\\\Windows\\\\*"', e)).toBe(false)
    expect(eql('process where process.executable : "*\\\\cmd.exe"', e)).toBe(true)
  })

  it("a missing field: positive tests false, != and not true, == null true", () => {
    const e = proc({ "process.name": "x.exe" })
    expect(eql('process where user.id == "S-1-5-18"', e)).toBe(false)
    expect(eql('process where user.id != "S-1-5-18"', e)).toBe(true)
    expect(eql('process where not user.id : "S-1-5-18"', e)).toBe(true)
    expect(eql("process where user.id == null", e)).toBe(true)
    expect(eql("process where user.id != null", e)).toBe(false)
    expect(eql('process where ?process.pe.original_file_name == "AdExp"', e)).toBe(false)
    expect(
      eql(
        'process where ?process.pe.original_file_name == "AdExp"',
        proc({ "process.pe.original_file_name": "AdExp" }),
      ),
    ).toBe(true)
  })

  it("in~ and regex~ ignore case; regexes are anchored Lucene patterns", () => {
    expect(eql('process where process.name in~ ("CMD.exe")', proc({ "process.name": "cmd.EXE" }))).toBe(true)
    expect(eql('process where process.name in ("CMD.exe")', proc({ "process.name": "cmd.EXE" }))).toBe(false)
    expect(eql('process where process.name regex~ """[a-z0-9]\\.exe"""', proc({ "process.name": "A.EXE" }))).toBe(true)
    expect(eql('process where process.name regex~ """[a-z0-9]\\.exe"""', proc({ "process.name": "ab.exe" }))).toBe(
      false,
    )
    expect(eql('process where process.name regex """[a-z]\\.exe"""', proc({ "process.name": "A.exe" }))).toBe(false)
  })

  it("the category tests event.category (an array); any matches every event", () => {
    expect(eql('file where file.name : "a"', proc({ "file.name": "a" }))).toBe(false)
    expect(eql('any where file.name : "a"', { "file.name": "a" })).toBe(true)
    expect(eql("network where true", { "event.category": ["network", "process"] })).toBe(true)
    const q = parseEql('process where process.name : "a"', "event.type")
    expect(run(q.stages[0]!.predicate, { "event.type": ["process"], "process.name": "A" })).toBe(true)
  })

  it("numbers compare numerically; keyword codes compare as text", () => {
    expect(eql("process where process.args_count >= 4", proc({ "process.args_count": 5 }))).toBe(true)
    expect(eql("process where process.args_count == 2", proc({ "process.args_count": 2 }))).toBe(true)
    expect(eql('any where event.code == "4688"', { "event.code": 4688 })).toBe(true)
    expect(eql("process where length(process.command_line) > 5", proc({ "process.command_line": "abcdefgh" }))).toBe(
      true,
    )
  })

  it("functions: startsWith~, endsWith, stringContains, cidrMatch", () => {
    const e = proc({ "process.name": "PowerShell.exe", "source.ip": "10.1.2.3" })
    expect(eql('process where startsWith~(process.name, "power")', e)).toBe(true)
    expect(eql('process where startsWith(process.name, "power")', e)).toBe(false)
    expect(eql('process where endsWith(process.name, ".exe", ".dll")', e)).toBe(true)
    expect(eql('process where stringContains(process.name, "Shell")', e)).toBe(true)
    expect(eql('process where cidrMatch(source.ip, "10.0.0.0/8")', e)).toBe(true)
    expect(eql('process where cidrMatch(source.ip, "192.168.0.0/16")', e)).toBe(false)
  })

  it("what one event cannot decide is unknown, never a wrong verdict", () => {
    expect(eql('process where startsWith~(string(source.ip), "10.")', proc({ "source.ip": "10.0.0.1" }))).toBe(
      "unknown",
    )
  })

  it("strings: escapes, \\' accepted, raw strings literal, comments skipped", () => {
    expect(
      eql('process where process.args : "*h\\\'t*" /* note */ // trailing', proc({ "process.args": ["h't"] })),
    ).toBe(true)
    expect(eql('process where process.name == """a\\b"""', proc({ "process.name": "a\\b" }))).toBe(true)
    expect(eql('process where `process.name` == "x"', proc({ "process.name": "x" }))).toBe(true)
  })

  it("sequences and samples parse into stages with join keys and maxspan", () => {
    const q = parseEql(
      'sequence by process.entity_id with maxspan=1m [process where process.name : "a.exe"] [library where dll.name : "b.dll"] until [process where event.type == "end"]',
    )
    expect(q.kind).toBe("sequence")
    expect(q.by).toEqual(["process.entity_id"])
    expect(q.maxspan).toBe("1m")
    expect(q.stages).toHaveLength(2)
    expect(q.until?.category).toBe("process")
    expect(run(q.stages[0]!.predicate, proc({ "process.name": "A.EXE" }))).toBe(true)
    const s = parseEql("sample by host.id [process where true] [file where true]")
    expect(s.kind).toBe("sample")
    expect(parseEql("sequence with maxspan=5m [any where true] with runs=3").stages[0]!.runs).toBe(3)
  })

  it("a syntax error is a QueryError with the offset", () => {
    try {
      parseEql('process where process.name == "a" and')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(QueryError)
      expect((e as QueryError).offset).toBe(37)
    }
    expect(() => parseEql("process where process.name == 'a'")).toThrow(/single-quoted/)
  })
})

describe("KQL", () => {
  it("exact and case-sensitive; value lists apply the field to each value", () => {
    const e = { "process.name": "cmd.EXE" }
    expect(kql("process.name:cmd.exe", e)).toBe(false)
    expect(kql("process.name:(CMD.EXE or Cmd.exe or cmd.exe)", e)).toBe(false)
    expect(kql("process.name:(CMD.EXE or cmd.EXE)", e)).toBe(true)
  })

  it("only an unquoted * is a wildcard; quoted * and ? are literal", () => {
    const e = { "process.command_line": "cmd.exe /c whoami" }
    expect(kql("process.command_line:*whoami", e)).toBe(true)
    expect(kql('process.command_line:"*whoami"', e)).toBe(false)
    expect(kql("process.command_line:cmd.ex? /c whoami", e)).toBe(false)
    expect(kql("process.command_line:(* and not *whoami)", e)).toBe(false)
  })

  it("field:* is existence; not on a missing field is true; ranges are numeric", () => {
    expect(kql("registry.path:*", { "registry.path": "" })).toBe(true)
    expect(kql("registry.path:*", {})).toBe(false)
    expect(kql("not user.name:root", {})).toBe(true)
    expect(kql("destination.port >= 1024", { "destination.port": 8080 })).toBe(true)
    expect(kql("destination.port < 1024", { "destination.port": "abc" })).toBe(false)
  })

  it("unquoted escapes and quoted escapes", () => {
    expect(kql("process.executable:C\\:\\\\Windows\\\\*", { "process.executable": "C:\\Windows\\x.exe" })).toBe(true)
    expect(kql('file.path:"C:\\Windows\\x"', { "file.path": "C:\\Windows\\x" })).toBe(true)
    expect(kql("a:b\\(1\\)", { a: "b(1)" })).toBe(true)
  })

  it("keywords in any case, precedence not > and > or, no implicit and", () => {
    expect(kql("a:1 OR b:2 and c:3", { a: "1" })).toBe(true)
    expect(kql("(a:1 or b:2) and c:3", { a: "1" })).toBe(false)
    expect(() => parseKql("a:1 b:2")).toThrow(QueryError)
  })

  it("nested queries and field wildcards are unknown", () => {
    expect(kql("a:{ b:1 }", { "a.b": "1" })).toBe("unknown")
    expect(kql("file.hash.*:abc", { "file.hash.md5": "abc" })).toBe("unknown")
  })
})

describe("ECS process events", () => {
  it("splits command lines like CommandLineToArgvW", () => {
    expect(windowsArgv('"C:\\Program Files\\a.exe" /x "a b" c\\\\"d e"')).toEqual([
      "C:\\Program Files\\a.exe",
      "/x",
      "a b",
      "c\\d e",
    ])
    expect(windowsArgv("cmd.exe /Q /c whoami 1> \\\\127.0.0.1\\ADMIN$\\__1.5 2>&1")).toEqual([
      "cmd.exe",
      "/Q",
      "/c",
      "whoami",
      "1>",
      "\\\\127.0.0.1\\ADMIN$\\__1.5",
      "2>&1",
    ])
  })

  it("builds the process-start shape with only the fields it knows", () => {
    const e = shapeEvent(ECS_SHAPE, {
      commandLine: "cmd.exe /c dir",
      image: "cmd.exe",
      imageName: "cmd.exe",
      originalFileName: "Cmd.Exe",
      parentCommandLine: "C:\\x\\p.exe",
      parentImage: "C:\\x\\p.exe",
      parentImageName: "p.exe",
    })
    expect(e["process.args"]).toEqual(["cmd.exe", "/c", "dir"])
    expect(e["process.args_count"]).toBe(3)
    expect(e["process.parent.name"]).toBe("p.exe")
    expect(e["process.executable"]).toBeUndefined()
    expect(e["process.parent.executable"]).toBe("C:\\x\\p.exe")
    expect(e["process.pe.original_file_name"]).toBe("Cmd.Exe")
    expect(e["host.os.type"]).toBe("windows")
    expect(e["user.name"]).toBeUndefined()
    expect(e["event.category"]).toEqual(["process"])
  })
})
