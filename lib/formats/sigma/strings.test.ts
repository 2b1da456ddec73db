import { describe, expect, it } from "vitest"

import { base64Offsets, base64Value, parseSigmaString, utf16, windash, toGlob, type SigmaString } from "./strings.ts"

const text = (s: SigmaString) => s.parts.map((p) => ("lit" in p ? p.lit : `<${p.wild}>`)).join("")

describe("Sigma string escapes", () => {
  it.each([
    ["C:\\Windows\\*", "C:\\Windows*"],
    ["C:\\Windows\\\\*", "C:\\Windows\\<*>"],
    ["\\?manifest=wac", "?manifest=wac"],
    ["\\\\\\\\\\*\\IPC$", "\\\\*\\IPC$"],
    ["/tn \\*", "/tn *"],
    ["\\Users\\Public\\", "\\Users\\Public\\"],
    ["a*b?c", "a<*>b<?>c"],
    ["\\\\\\*", "\\*"],
    ["x\\\\\\y", "x\\\\y"],
  ])("%s", (input, expected) => {
    expect(text(parseSigmaString(input))).toBe(expected)
  })

  it("a literal * cannot become a glob; a literal ? can", () => {
    expect(toGlob(parseSigmaString("/tn \\*"))).toBeNull()
    expect(toGlob(parseSigmaString("a?b"))).toBeNull()
    expect(toGlob(parseSigmaString("\\?x*"))).toBe("?x*")
  })
})

describe("windash", () => {
  const variants = (s: string) => windash(parseSigmaString(s)).map(text)
  it("expands a leading dash into five characters", () => {
    expect(variants(" -enc ")).toEqual([" -enc ", " /enc ", " \u2013enc ", " \u2014enc ", " \u2015enc "])
  })
  it("expands a slash too", () => {
    expect(variants("/node:")).toHaveLength(5)
    expect(variants("/node:")[2]).toBe("\u2013node:")
  })
  it("leaves hyphens inside words alone", () => {
    const v = variants("a-b -c")
    expect(v).toHaveLength(5)
    expect(v.every((x) => x.startsWith("a-b "))).toBe(true)
  })
  it("two positions give 25 combinations", () => {
    expect(new Set(variants(" -s -c "))).toHaveProperty("size", 25)
  })
})

describe("base64 encodings", () => {
  it("base64", () => {
    expect(base64Value("cmd", false)).toBe("Y21k")
  })
  it("base64offset", () => {
    expect(base64Offsets("http://", false)).toEqual(["aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"])
    expect(base64Offsets("IEX", false)).toEqual(["SUVY", "lFW", "JRV"])
  })
  it("wide then base64offset", () => {
    expect(base64Offsets(utf16("ping", "le"), true)).toEqual(["cABpAG4AZw", "AAaQBuAGcA", "wAGkAbgBnA"])
  })
  it("utf16be and utf16 with a byte-order mark", () => {
    expect(base64Value(utf16("A", "be"), true)).toBe("AEE=")
    expect(base64Value(utf16("A", "bom"), true)).toBe("//5BAA==")
  })
})
