import { describe, expect, it } from "vitest"
import { compile, evaluate, formatPredicate, numberLeaves, type Event } from "../../../predicate/index.ts"
import { parseWhere } from "./where.ts"

const fmt = (s: string) => formatPredicate(parseWhere(s).predicate)
const match = (s: string, e: Event) => evaluate(compile(numberLeaves(parseWhere(s).predicate)), e).matched

describe("where precedence: AND binds tighter than OR", () => {
  it("groups AND first, the opposite of search", () => {
    expect(fmt('a="1" OR b="2" AND c="3"')).toBe('a=="1" OR (b=="2" AND c=="3")')
    expect(match('a="1" OR b="2" AND c="3"', { a: "1" })).toBe(true)
    expect(match('a="1" OR b="2" AND c="3"', { b: "2" })).toBe(false)
  })
  it("NOT binds looser than comparison", () => {
    expect(fmt('NOT x="a"')).toBe('NOT x=="a"')
  })
  it("XOR is the loosest", () => {
    expect(match('a="1" XOR b="2"', { a: "1", b: "2" })).toBe(false)
    expect(match('a="1" XOR b="2"', { a: "1", b: "3" })).toBe(true)
  })
})

describe("eval comparisons", () => {
  it("= and == are case-sensitive without wildcards", () => {
    expect(match('f="cmd.exe"', { f: "CMD.exe" })).toBe(false)
    expect(match('f=="c*"', { f: "cmd" })).toBe(false)
    expect(match('f=="c*"', { f: "c*" })).toBe(true)
  })
  it("numbers compare numerically; literal on the left is mirrored", () => {
    expect(match("n=5", { n: "5.0" })).toBe(true)
    expect(match('n="5"', { n: "5.0" })).toBe(false)
    expect(fmt('n=5 AND m="5"')).toBe('n==5 AND m=="5"')
    expect(match("count > 5", { count: "10" })).toBe(true)
    expect(match("5 < count", { count: "10" })).toBe(true)
    expect(match("len(process)>10", { process: "short" })).toBe(false)
  })
  it("unquoted right-hand names are field references", () => {
    expect(match("user=src_user", { user: "a", src_user: "a" })).toBe(true)
    expect(match("old_owner!=new_owner", { old_owner: "a", new_owner: "b" })).toBe(true)
  })
  it("a missing field makes the comparison null, and NOT null is still dropped", () => {
    expect(match('f!="x"', {})).toBe(false)
    expect(match('NOT f="x"', {})).toBe(false)
    expect(match('isnull(f) OR f!="x"', {})).toBe(true)
  })
  it("lower()/upper() wrappers", () => {
    expect(match('lower(f)="cmd.exe"', { f: "CMD.EXE" })).toBe(true)
    expect(match("lower(src_user)=lower(nt_user)", { src_user: "Bob", nt_user: "BOB" })).toBe(true)
  })
})

describe("functions", () => {
  it("like is case-sensitive with % and _, unlike search wildcards", () => {
    expect(match('like(process_exec, "%wmic%")', { process_exec: "WMIC.exe" })).toBe(false)
    expect(match('like(process_exec, "%wmic%")', { process_exec: "c:\\wmic.exe" })).toBe(true)
    expect(match('process_exec LIKE "a_c"', { process_exec: "abc" })).toBe(true)
    expect(match('LIKE (p, "%*%")', { p: "abc" })).toBe(false)
  })
  it("match() is an unanchored regex, case-sensitive unless (?i)", () => {
    expect(
      match('match(process, "(?i)C:\\\\\\\\Windows\\\\\\\\[a-zA-Z]{1,8}\\\\.bat")', {
        process: "run c:\\windows\\evil.bat now",
      }),
    ).toBe(true)
    expect(match('match(process, "Windows")', { process: "c:\\windows" })).toBe(false)
  })
  it("isnull / isnotnull treat the empty string as present", () => {
    expect(match("isnotnull(f)", { f: "" })).toBe(true)
    expect(match("isnull(f)", { f: null })).toBe(true)
  })
  it("cidrmatch takes the subnet first", () => {
    expect(match('cidrmatch("10.0.0.0/8", src)', { src: "10.2.3.4" })).toBe(true)
    expect(match('NOT cidrmatch("10.0.0.0/8", src)', { src: "192.168.1.1" })).toBe(true)
  })
  it("in() and IN are exact, case-sensitive", () => {
    expect(match('in(f, "a", "b")', { f: "b" })).toBe(true)
    expect(match('f IN ("a", "b")', { f: "B" })).toBe(false)
    expect(match('NOT new_values IN (old_values, "x")', { new_values: "y", old_values: "z" })).toBe(true)
  })
  it("searchmatch uses search-language semantics", () => {
    expect(match('searchmatch("process=*FOO*")', { process: "a foo b" })).toBe(true)
  })
  it("single-quoted names are fields", () => {
    expect(match("isnotnull('Processes.process')", { "Processes.process": "x" })).toBe(true)
  })
  it("unsupported expressions become unknown leaves with a construct", () => {
    const r = parseWhere("query_length>(avg+stdev*2)")
    expect(r.constructs).toEqual(["eval-expression"])
    expect(match("query_length>(avg+stdev*2)", { query_length: "1" })).toBe("unknown")
  })
  it("syntax errors never throw", () => {
    const r = parseWhere("x == 5 AND")
    expect(r.errors.length).toBeGreaterThan(0)
    expect(r.predicate.op).toBe("unknown")
  })
})
