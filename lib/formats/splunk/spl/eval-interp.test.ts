import { describe, expect, it } from "vitest"
import {
  EVAL_FUNCTIONS,
  EvalUnsupported,
  evalCondition,
  evalExpr,
  relativeTime,
  strftime,
  strptime,
  toRowValue,
  unsupportedIn,
  type Row,
} from "./eval-interp.ts"
import { parseEval } from "./eval-parser.ts"
import { parseSearch } from "./search-parser.ts"

const searchmatch = (q: string) => parseSearch(q).predicate

const NOW = Date.UTC(2026, 4, 13, 14, 30, 15) / 1000 // Wednesday 2026-05-13 14:30:15 UTC

function v(text: string, row: Row = {}) {
  const { expr, errors } = parseEval(text)
  expect(errors).toEqual([])
  return evalExpr(expr, row, { now: NOW, searchmatch })
}
function c(text: string, row: Row = {}) {
  const { expr, errors } = parseEval(text)
  expect(errors).toEqual([])
  return evalCondition(expr, row, { now: NOW, searchmatch })
}

const ps = { process: "powershell.exe -e`n`c a`b", process_name: "reg.exe", mv: ["a", "bb", "ccc"], n: "10" }

describe("eval interpreter: values and operators", () => {
  it("reads literals, fields, null for missing fields and multivalues", () => {
    expect(v("42")).toBe(42)
    expect(v('"x"')).toBe("x")
    expect(v("process_name", ps)).toBe("reg.exe")
    expect(v("missing", ps)).toBeNull()
    expect(v("mv", ps)).toEqual(["a", "bb", "ccc"])
    expect(v("'Processes.process'", { "Processes.process": "x" })).toBe("x")
  })
  it("dotted names: the field when present, else concatenation", () => {
    expect(v("a.b", { "a.b": "field" })).toBe("field")
    expect(v("a.b", { a: "1", b: "2" })).toBe("12")
    expect(v("a.b", { a: "1" })).toBeNull()
  })
  it("arithmetic on numbers and numeric text; null propagates", () => {
    expect(v("n + 5", ps)).toBe(15)
    expect(v("n * 2 - 1", ps)).toBe(19)
    expect(v("7 % 4")).toBe(3)
    expect(v("1 / 0")).toBeNull()
    expect(v("missing + 1", ps)).toBeNull()
    expect(v("-n", ps)).toBe(-10)
    expect(v('"a" + "b"')).toBe("ab")
    expect(v('"a" + 1')).toBeNull()
  })
  it("concatenation with `.`; null if either side is null", () => {
    expect(v('process_name . "!"', ps)).toBe("reg.exe!")
    expect(v('missing . "!"', ps)).toBeNull()
    expect(v('1 . "x"')).toBe("1x")
  })
  it("comparisons: exact text, numeric when both are numbers, any value of a multivalue", () => {
    expect(c('process_name = "reg.exe"', ps)).toBe(true)
    expect(c('process_name = "REG.EXE"', ps)).toBe(false)
    expect(c('process_name = "reg*"', ps)).toBe(false)
    expect(c("n > 9", ps)).toBe(true)
    expect(c('n > "9"', ps)).toBe(true) // both read as numbers
    expect(c('n = "10.0"', ps)).toBe(false) // a string literal compares as text
    expect(c("n = 10.0", ps)).toBe(true)
    expect(c('mv = "bb"', ps)).toBe(true)
    expect(c('mv != "bb"', ps)).toBe(false)
    expect(c('missing = "x"', ps)).toBeNull()
    expect(c("a = b", { a: "5", b: "5.0" })).toBe(true)
  })
  it("three-valued AND / OR / NOT / XOR", () => {
    expect(c('missing = "x" AND 1 = 2', ps)).toBe(false)
    expect(c('missing = "x" AND 1 = 1', ps)).toBeNull()
    expect(c('missing = "x" OR 1 = 1', ps)).toBe(true)
    expect(c('missing = "x" OR 1 = 2', ps)).toBeNull()
    expect(c('NOT missing = "x"', ps)).toBeNull()
    expect(c("NOT 1 = 2")).toBe(true)
    expect(c("1 = 1 XOR 1 = 2")).toBe(true)
  })
  it("LIKE and IN operators", () => {
    expect(c('process_name LIKE "reg%"', ps)).toBe(true)
    expect(c('process_name LIKE "r_g.exe"', ps)).toBe(true)
    expect(c('process_name LIKE "REG%"', ps)).toBe(false)
    expect(c('missing LIKE "%"', ps)).toBeNull()
    expect(c('process_name IN ("cmd.exe", "reg.exe")', ps)).toBe(true)
    expect(c('mv IN ("ccc")', ps)).toBe(true)
    expect(c('missing IN ("x")', ps)).toBeNull()
  })
  it("a non-boolean used as a condition is undecided, not false", () => {
    expect(() => c("process_name", ps)).toThrow(EvalUnsupported)
  })
})

describe("eval interpreter: functions", () => {
  it("if / case / coalesce / nullif / validate", () => {
    expect(v('if(n > 5, "big", "small")', ps)).toBe("big")
    expect(v('if(missing = "x", "yes", "no")', ps)).toBe("no") // null condition takes the else branch
    expect(v('case(n < 5, "a", n < 20, "b", true(), "c")', ps)).toBe("b")
    expect(v('case(n < 5, "a")', ps)).toBeNull()
    expect(v('coalesce(missing, "", "z")', ps)).toBe("")
    expect(v("coalesce(missing, other)", ps)).toBeNull()
    expect(v('nullif(process_name, "reg.exe")', ps)).toBeNull()
    expect(v('nullif(process_name, "x")', ps)).toBe("reg.exe")
    expect(v('validate(n > 5, "small", isnotnull(process), "no process")', ps)).toBeNull()
    expect(v('validate(n > 50, "small")', ps)).toBe("small")
  })
  it("null tests and types", () => {
    expect(v("isnull(missing)", ps)).toBe(true)
    expect(v("isnull(process_name)", ps)).toBe(false)
    expect(v('isnull("")')).toBe(false)
    expect(v("isnotnull(mv)", ps)).toBe(true)
    expect(v("isnum(n)", ps)).toBe(true)
    expect(v("isint(n)", ps)).toBe(true)
    expect(v("isstr(process_name)", ps)).toBe(true)
    expect(v("isbool(1=1)")).toBe(true)
    expect(v("typeof(n)", ps)).toBe("Number")
    expect(v("typeof(missing)", ps)).toBe("Invalid")
    expect(v("exact(n)", ps)).toBe("10")
    expect(v("null()")).toBeNull()
    expect(v("true()")).toBe(true)
    expect(v("false()")).toBe(false)
  })
  it("like / match / cidrmatch / in / searchmatch", () => {
    expect(v('like(process_name, "%.exe")', ps)).toBe(true)
    expect(v('like(missing, "%")', ps)).toBeNull()
    expect(v('match(process, "(?i)POWERSHELL")', ps)).toBe(true)
    expect(v('match(process_name, "^cmd")', ps)).toBe(false)
    expect(v('match(mv, "^c+$")', ps)).toBe(true)
    expect(v('match(missing, "x")', ps)).toBeNull()
    expect(() => v('match(process, "a(?=b)")', ps)).toThrow(EvalUnsupported)
    expect(v('cidrmatch("10.0.0.0/8", ip)', { ip: "10.1.2.3" })).toBe(true)
    expect(v('cidrmatch("10.0.0.0/8", ip)', { ip: "11.1.2.3" })).toBe(false)
    expect(v('cidrmatch("10.0.0.0/8", ip)', {})).toBeNull()
    expect(v('in(process_name, "cmd.exe", "reg.exe")', ps)).toBe(true)
    expect(v('in(process_name, "REG.EXE")', ps)).toBe(false)
    expect(v('in(missing, "x")', ps)).toBeNull()
    expect(v('searchmatch("process_name=REG*")', ps)).toBe(true)
    expect(v('searchmatch("process_name=cmd*")', ps)).toBe(false)
  })
  it("string functions: lower upper len substr trim replace urldecode split", () => {
    expect(v("upper(process_name)", ps)).toBe("REG.EXE")
    expect(v('lower("AbC")')).toBe("abc")
    expect(v("upper(mv)", ps)).toEqual(["A", "BB", "CCC"])
    expect(v("lower(missing)", ps)).toBeNull()
    expect(v("len(process_name)", ps)).toBe(7)
    expect(v("len(missing)", ps)).toBeNull()
    expect(v("substr(process_name, -4)", ps)).toBe(".exe")
    expect(v("substr(process_name, 1, 3)", ps)).toBe("reg")
    expect(v("substr(process_name, 5)", ps)).toBe("exe")
    expect(v("substr(missing, 1)", ps)).toBeNull()
    expect(v('trim("  x \t")')).toBe("x")
    expect(v('ltrim("xxabcxx", "x")')).toBe("abcxx")
    expect(v('rtrim("xxabcxx", "x")')).toBe("xxabc")
    expect(v('replace(process_name, "\\\\.exe$", "")', ps)).toBe("reg")
    expect(v('replace("2026-05-13", "(\\\\d+)-(\\\\d+)-(\\\\d+)", "\\\\3/\\\\2/\\\\1")')).toBe("13/05/2026")
    expect(v('replace("a", "a", "$1")')).toBe("$1")
    expect(v('replace(missing, "a", "b")', ps)).toBeNull()
    expect(v('urldecode("a%20b+c")')).toBe("a b c")
    expect(v('split("a,b,,c", ",")')).toEqual(["a", "b", "", "c"])
    expect(v('split(missing, ",")', ps)).toBeNull()
  })
  it('the obfuscation count of a corpus rule: mvcount(split(process, "`")) - 1', () => {
    expect(v('mvcount(split(process, "`")) - 1', ps)).toBe(3)
    expect(v('mvcount(split(process, "`")) - 1', { process: "plain" })).toBe(0)
  })
  it("multivalue functions", () => {
    expect(v("mvcount(mv)", ps)).toBe(3)
    expect(v("mvcount(process_name)", ps)).toBe(1)
    expect(v("mvcount(missing)", ps)).toBeNull()
    expect(v("mvindex(mv, 0)", ps)).toBe("a")
    expect(v("mvindex(mv, -1)", ps)).toBe("ccc")
    expect(v("mvindex(mv, 1, 2)", ps)).toEqual(["bb", "ccc"])
    expect(v("mvindex(mv, 5)", ps)).toBeNull()
    expect(v("mvindex(missing, 0)", ps)).toBeNull()
    expect(v('mvfind(mv, "^b")', ps)).toBe(1)
    expect(v('mvfind(mv, "^z")', ps)).toBeNull()
    expect(v('mvjoin(mv, ";")', ps)).toBe("a;bb;ccc")
    expect(v('mvjoin(missing, ";")', ps)).toBeNull()
    expect(v('mvappend(mv, missing, "d")', ps)).toEqual(["a", "bb", "ccc", "d"])
    expect(v("mvappend(missing)", ps)).toBeNull()
    expect(v("mvdedup(x)", { x: ["a", "b", "a"] })).toEqual(["a", "b"])
    expect(v("mvsort(x)", { x: ["b", "a"] })).toEqual(["a", "b"])
    expect(v('mvzip(mv, mv, "=")', ps)).toEqual(["a=a", "bb=bb", "ccc=ccc"])
    expect(v("mvzip(mv, missing)", ps)).toBeNull()
    expect(v('mvfilter(match(mv, "c"))', ps)).toEqual(["ccc"])
    expect(v('mvfilter(mv = "zz")', ps)).toBeNull()
    expect(v("mvfilter(isnotnull(missing))", ps)).toBeNull()
    expect(v('mvmap(mv, mv . "!")', ps)).toEqual(["a!", "bb!", "ccc!"])
    expect(v('mvmap(missing, missing . "!")', ps)).toBeNull()
    expect(v("mvrange(1, 4)")).toEqual([1, 2, 3])
    expect(v("mvcount(mvrange(0, 10, 3))")).toBe(4)
  })
  it("numeric functions", () => {
    expect(v("abs(-3)")).toBe(3)
    expect(v("abs(missing)", ps)).toBeNull()
    expect(v("pow(2, 10)")).toBe(1024)
    expect(v("sqrt(16)")).toBe(4)
    expect(v("sqrt(-1)")).toBeNull()
    expect(v("floor(2.7)")).toBe(2)
    expect(v("ceiling(2.1)")).toBe(3)
    expect(v("round(2.5)")).toBe(3)
    expect(v("round(-2.5)")).toBe(-3)
    expect(v("round(3.14159, 2)")).toBe(3.14)
    expect(v("round(missing, 2)", ps)).toBeNull()
    expect(v("log(100)")).toBe(2)
    expect(v("ln(exp(1))")).toBe(1)
    expect(v("min(3, 1, 2)")).toBe(1)
    expect(v('max(3, "10", 2)')).toBe(10)
    expect(v('min(3, "abc")')).toBe(3)
    expect(v("tonumber(n)", ps)).toBe(10)
    expect(v('tonumber("0x1F", 16)')).toBe(31)
    expect(v('tonumber("abc")')).toBeNull()
    expect(v("tostring(12)")).toBe("12")
    expect(v("tostring(1=1)")).toBe("True")
    expect(v('tostring(255, "hex")')).toBe("0xFF")
    expect(v('tostring(1234567, "commas")')).toBe("1,234,567")
    expect(v('tostring(90061, "duration")')).toBe("1+01:01:01")
    expect(v("tostring(missing)", ps)).toBeNull()
    expect(v('printf("%s-%04d", "a", 7)')).toBe("a-0007")
  })
  it("time functions use the fixed clock", () => {
    expect(v("now()")).toBe(NOW)
    expect(v('relative_time(now(), "-1d@d")')).toBe(Date.UTC(2026, 4, 12) / 1000)
    expect(v('relative_time(now(), "-24h")')).toBe(NOW - 86400)
    expect(v('relative_time(missing, "-1d")', ps)).toBeNull()
    expect(v('strftime(now(), "%Y-%m-%dT%H:%M:%S")')).toBe("2026-05-13T14:30:15")
    expect(v('strptime("2026-05-13 14:30:15", "%Y-%m-%d %H:%M:%S")')).toBe(NOW)
    expect(v('strptime("garbage", "%Y-%m-%d")')).toBeNull()
    expect(v("now()", { _time: "100" })).toBe(NOW)
    const { expr } = parseEval("now()")
    expect(evalExpr(expr, { _time: "100" })).toBe(100) // no clock given: the row's time
  })
  it("relative_time snaps and units", () => {
    expect(relativeTime(NOW, "@w0")).toBe(Date.UTC(2026, 4, 10) / 1000)
    expect(relativeTime(NOW, "@w1")).toBe(Date.UTC(2026, 4, 11) / 1000)
    expect(relativeTime(NOW, "-1mon@mon")).toBe(Date.UTC(2026, 3, 1) / 1000)
    expect(relativeTime(NOW, "@y")).toBe(Date.UTC(2026, 0, 1) / 1000)
    expect(relativeTime(NOW, "+2h@h")).toBe(Date.UTC(2026, 4, 13, 16) / 1000)
    expect(relativeTime(NOW, "-7d")).toBe(NOW - 7 * 86400)
    expect(relativeTime(NOW, "bogus")).toBeNull()
    expect(strftime(0, "%b %e %j %A")).toBe("Jan  1 001 Thursday")
    expect(strptime("13/May/2026:14:30:15 +0200", "%d/%b/%Y:%H:%M:%S %z")).toBe(NOW - 7200)
  })
})

describe("eval interpreter: support and row values", () => {
  it("names the functions it cannot compute", () => {
    expect([...unsupportedIn(parseEval('if(match(a, "x"), 1, 0)').expr)]).toEqual([])
    expect([...unsupportedIn(parseEval("ut_shannon(a) + 1").expr)]).toEqual(["ut_shannon"])
    expect(() => v("ut_shannon(a)")).toThrow(EvalUnsupported)
    expect(EVAL_FUNCTIONS.has("mvindex")).toBe(true)
  })
  it("stores values into rows as Splunk does", () => {
    expect(toRowValue(true)).toBeNull()
    expect(toRowValue(["x"])).toBe("x")
    expect(toRowValue([])).toBeNull()
    expect(toRowValue(["a", "b"])).toEqual(["a", "b"])
    expect(toRowValue(3)).toBe(3)
  })
})
