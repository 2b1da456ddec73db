import { describe, expect, it } from "vitest"
import {
  and,
  cidrTest,
  compile,
  evaluate,
  globShape,
  globTest,
  indicatorKey,
  indicators,
  likeTest,
  not,
  numberLeaves,
  or,
  type Event,
  type Predicate,
} from "./index.ts"

const cmp = (
  field: string,
  value: string,
  cmpOp: "=" | "!=" | "<" | ">" = "=",
  lang: "search" | "eval" = "search",
): Predicate => ({
  op: "cmp",
  id: 0,
  field,
  cmpOp,
  value,
  lang,
})
const run = (p: Predicate, e: Event) => evaluate(compile(numberLeaves(p)), e).matched

describe("glob", () => {
  it("classifies shapes", () => {
    expect(globShape("*x*")).toEqual({ kind: "contains", text: "x" })
    expect(globShape("x*")).toEqual({ kind: "startswith", text: "x" })
    expect(globShape("*x")).toEqual({ kind: "endswith", text: "x" })
    expect(globShape("a*b")).toEqual({ kind: "wildcard" })
    expect(globShape("*")).toEqual({ kind: "any" })
  })
  it("matches infix wildcards linearly and anchored", () => {
    const t = globTest("a*b*c")
    expect(t("axxbyyc")).toBe(true)
    expect(t("abcx")).toBe(false)
    expect(t("ac")).toBe(false)
    expect(globTest("*ab*ab*")("xabab")).toBe(true)
    expect(globTest("*ab*ab*")("xab")).toBe(false)
    expect(globTest("*a")("a\nb\na")).toBe(true)
  })
  it("handles `?` and `%` as literals in search globs", () => {
    expect(globTest("a?b")("axb")).toBe(false)
    expect(globTest("a?b")("a?b")).toBe(true)
  })
  it("like: % and _ are wildcards, case-sensitive", () => {
    expect(likeTest("%wmic%")("c:\\wmic.exe")).toBe(true)
    expect(likeTest("%wmic%")("WMIC.exe")).toBe(false)
    expect(likeTest("a_c")("abc")).toBe(true)
    expect(likeTest("a_c")("abbc")).toBe(false)
    expect(likeTest("a.c")("abc")).toBe(false)
  })
  it("like: a run of % means one %, with _ beside it", () => {
    const runs = likeTest(`%LD_PRE${"%".repeat(4000)}LOAD%`)
    expect(runs("x LD_PRE y LOAD z")).toBe(true)
    expect(runs("LDXPRELOAD")).toBe(true)
    expect(runs("LD_PRE")).toBe(false)
    expect(likeTest("a%%_")("a")).toBe(false)
    expect(likeTest("a%%_")("ab")).toBe(true)
  })
})

describe("search-language leaves", () => {
  it("values are case-insensitive, field names case-sensitive", () => {
    expect(run(cmp("process_name", "winrs.exe"), { process_name: "WinRS.EXE" })).toBe(true)
    expect(run(cmp("EventCode", "1"), { eventcode: "1" })).toBe(false)
  })
  it("!= is false on a missing field, NOT = is true", () => {
    expect(run(cmp("f", "a", "!="), {})).toBe(false)
    expect(run(not(cmp("f", "a")), {})).toBe(true)
    expect(run(cmp("f", "a", "!="), { f: "b" })).toBe(true)
    expect(run(not(cmp("f", "a")), { f: "A" })).toBe(false)
  })
  it("field=* is existence", () => {
    expect(run(cmp("f", "*"), { f: "" })).toBe(true)
    expect(run(cmp("f", "*"), { f: null })).toBe(false)
    expect(run(not(cmp("f", "*")), {})).toBe(true)
  })
  it("multivalue: any value matches; != means no value equals", () => {
    expect(run(cmp("f", "b*"), { f: ["x", "bee"] })).toBe(true)
    expect(run(cmp("f", "b", "!="), { f: ["a", "b"] })).toBe(false)
    expect(run(cmp("f", "c", "!="), { f: ["a", "b"] })).toBe(true)
  })
  it("ordered comparisons are numeric when both sides are numbers", () => {
    expect(run(cmp("n", "9", ">"), { n: "10" })).toBe(true)
    expect(run(cmp("n", "9", ">"), { n: 10 })).toBe(true)
    expect(run(cmp("s", "b", "<"), { s: "a" })).toBe(true)
  })
  it("IN expands with wildcards and case-insensitivity", () => {
    const p: Predicate = { op: "in", id: 0, field: "f", values: ["a.exe", "*b*"], lang: "search" }
    expect(run(p, { f: "A.EXE" })).toBe(true)
    expect(run(p, { f: "xBx" })).toBe(true)
    expect(run(p, { f: "c" })).toBe(false)
    expect(run(not(p), {})).toBe(true)
  })
  it("data-model leaves read prefixed or unprefixed fields", () => {
    const p: Predicate = {
      op: "cmp",
      id: 0,
      field: "process_name",
      dm: "Processes",
      cmpOp: "=",
      value: "cmd.exe",
      lang: "search",
    }
    expect(run(p, { process_name: "cmd.exe" })).toBe(true)
    expect(run(p, { "Processes.process_name": "CMD.exe" })).toBe(true)
  })
})

describe("eval-language leaves", () => {
  it("= is exact and case-sensitive, no wildcards", () => {
    expect(run(cmp("f", "abc", "=", "eval"), { f: "abc" })).toBe(true)
    expect(run(cmp("f", "abc", "=", "eval"), { f: "ABC" })).toBe(false)
    expect(run(cmp("f", "a*", "=", "eval"), { f: "abc" })).toBe(false)
  })
  it("NOT of a null comparison stays null (dropped)", () => {
    expect(run(not(cmp("f", "a", "=", "eval")), {})).toBe(false)
    expect(run(or([{ op: "isnull", id: 0, field: "f" }, cmp("f", "a", "!=", "eval")]), {})).toBe(true)
  })
  it("regex goes through re2js; lookahead is unsupported, never a crash", () => {
    const ok: Predicate = {
      op: "regex",
      id: 0,
      field: "f",
      pattern: "(?i)c:\\\\windows\\\\[a-z]{1,8}\\.bat",
      lang: "eval",
    }
    expect(run(ok, { f: "C:\\Windows\\abc.bat" })).toBe(true)
    const bad = numberLeaves({ op: "regex", id: 0, field: "f", pattern: "a(?=b)", lang: "eval" })
    const c = compile(bad)
    expect(c.unsupported[0]?.reason).toMatch(/lookahead/)
    expect(evaluate(c, { f: "ab" }).matched).toBe("unknown")
  })
  it("cidrmatch handles IPv4 and IPv6", () => {
    expect(cidrTest("10.0.0.0/8")?.("10.1.2.3")).toBe(true)
    expect(cidrTest("10.0.0.0/8")?.("11.1.2.3")).toBe(false)
    expect(cidrTest("fe80::/10")?.("fe80::1")).toBe(true)
    expect(cidrTest("fe80::/10")?.("10.0.0.1")).toBe(false)
    expect(cidrTest("nonsense")).toBeNull()
  })
})

describe("unknown propagation and traces", () => {
  const u: Predicate = { op: "unknown", id: 0, construct: "subsearch", reason: "needs another search", text: "[...]" }
  it("unknown AND false is false; unknown OR true is true", () => {
    expect(run(and([u, cmp("f", "x")]), { f: "y" })).toBe(false)
    expect(run(or([u, cmp("f", "x")]), { f: "x" })).toBe(true)
    expect(run(and([u, cmp("f", "x")]), { f: "x" })).toBe("unknown")
  })
  it("trace lists every leaf with the value it held on", () => {
    const p = numberLeaves(and([cmp("a", "x*"), cmp("b", "y")]))
    const r = evaluate(compile(p), { a: "xyz", b: "q" })
    expect(r.matched).toBe(false)
    expect(r.leaves).toEqual([
      { id: 1, held: true, field: "a", value: "xyz" },
      { id: 2, held: false, field: "b", value: "q" },
    ])
  })
  it("traces report the event's value as written, though matching folds case", () => {
    const p = numberLeaves(
      and([cmp("Image", "*\\wmic.exe"), { op: "in", id: 0, field: "User", values: ["corp\\*"], lang: "search" }]),
    )
    const r = evaluate(compile(p), { Image: "C:\\Windows\\System32\\wbem\\WMIC.exe", User: ["svc", "CORP\\Alice"] })
    expect(r.matched).toBe(true)
    expect(r.leaves.map((l) => l.value)).toEqual(["C:\\Windows\\System32\\wbem\\WMIC.exe", "CORP\\Alice"])
  })
  it("the untraced check gives the traced verdict", () => {
    const p = numberLeaves(or([and([cmp("a", "X*"), not(cmp("b", "y"))]), cmp("missing", "z", "=", "eval")]))
    for (const e of [{ a: "xyz", b: "q" }, { a: "xyz", b: "Y" }, { a: "q" }, {}]) {
      const c = compile(p)
      expect(evaluate(c, e, { trace: false }).matched).toBe(evaluate(c, e).matched)
    }
  })
  it("predicates are JSON-serialisable", () => {
    const p = numberLeaves(and([cmp("a", "x*"), not(u)]))
    expect(JSON.parse(JSON.stringify(p))).toEqual(p)
  })
})

describe("indicators", () => {
  it("classifies by wildcard shape, expands IN, marks negation", () => {
    const p = numberLeaves(
      and([
        cmp("process", "*/node:*"),
        { op: "in", id: 0, field: "process_name", values: ["wmic.exe", "*.ps1"], lang: "search" },
        not(cmp("user", "SYSTEM")),
      ]),
    )
    const got = indicators(p).map((i) => [i.field, i.kind, i.value, i.negated])
    expect(got).toEqual([
      ["process", "contains", "/node:", false],
      ["process_name", "eq", "wmic.exe", false],
      ["process_name", "endswith", ".ps1", false],
      ["user", "eq", "SYSTEM", true],
    ])
    expect(indicatorKey({ field: "user", kind: "eq", value: "SYSTEM", negated: true })).toBe(
      "user\u0000not-eq\u0000system",
    )
  })
})
