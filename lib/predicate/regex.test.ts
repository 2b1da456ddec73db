import { RE2JS } from "re2js"
import { describe, expect, it } from "vitest"

import { rng } from "../fuzz/mutate.ts"
import { compile, evaluate } from "./compile.ts"
import { compileRegex, REGEX_CACHE_SIZE, regexCacheSize, requiredLiterals } from "./regex.ts"

const lits = (p: string) => requiredLiterals(p).map((l) => `${l.folded ? "i:" : ""}${l.needle.text}`)

describe("requiredLiterals", () => {
  it("reads the literal runs every match contains", () => {
    expect(lits(String.raw`(?si)^.*ms\-appinstaller:\/\/.source=.*$`)).toEqual(["i:-appin", "i:taller://", "i:ource="])
    expect(lits(String.raw`(?si)^.*0200....AC.*$`)).toEqual(["i:0200"])
    expect(lits(String.raw`powershell\.exe\s+-enc`)).toEqual(["powershell.exe", "-enc"])
    expect(lits(String.raw`abcdef+gh`)).toEqual(["abcde"])
    expect(lits(String.raw`abcdef{2,3}xyzw`)).toEqual(["abcde", "xyzw"])
    expect(lits(String.raw`(?<!\/)\bcmd\.exe(abc)?wxyz`)).toEqual(["cmd.exe", "wxyz"])
    expect(lits(String.raw`[a-z\]]+literal`)).toEqual(["literal"])
    // A whole-value test written `^(?:…)$` (Elastic wildcard patterns) is read inside its group.
    expect(lits(String.raw`(?is)^(?:.:\\PerfLogs\\.*\.exe)$`)).toEqual(["i::\\perflog", "i:.exe"])
    expect(lits(String.raw`(?s)^(?:.:\\Intel\\.*\.exe)$`)).toEqual([":\\Intel\\", ".exe"])
    expect(lits(String.raw`^(?:abcd|efgh)$`)).toEqual([])
    expect(lits(String.raw`^(?:abcd)efgh$`)).toEqual(["efgh"])
  })
  it("gives up on what it does not read for sure", () => {
    for (const p of [
      String.raw`abcd|efgh`,
      String.raw`ab(?i)cdef`,
      String.raw`\x41bcdef`,
      String.raw`\Qabcd\E`,
      String.raw`abcd{,2}`,
      String.raw`(?x)abcd`,
      "abcd(efgh",
    ])
      expect(lits(p)).toEqual([])
  })
})

describe("regex tests on long values", () => {
  it("agree with and without the value's index", () => {
    const r = rng(11)
    const patterns = [
      String.raw`(?si)^.*ms\-appinstaller:\/\/.source=.*$`,
      String.raw`(?i)java\.lang\.(?:runtime|processbuilder)`,
      String.raw`\\[a-zA-Z0-9]{1,32}\.[a-zA-Z0-9]{1,6}\.[ "']{1}`,
      String.raw`(?i)\$\{env:pathkkss\}`,
      String.raw`Invoke-Expression.{0,20}FromBase64String`,
    ]
    const parts = [
      "ms-appinstaller://",
      "MS-APPINSTALLER://",
      "xsource=",
      "java.lang.Runtime",
      "JAVA.LANG.processbuilder",
      "\\ab.cd. ",
      "${env:PATHKKSS}",
      "${env:pathKKss}",
      "Invoke-Expression",
      "FromBase64String",
      "x",
      " ",
      "é",
    ]
    for (const p of patterns) {
      const re = compileRegex(p)
      if (!re.ok) throw new Error(re.reason)
      for (let k = 0; k < 200; k++) {
        let v = ""
        while (v.length < 600) v += parts[Math.floor(r() * parts.length)]!.repeat(r() < 0.1 ? 20 : 1)
        expect(re.test(v, { value: v, held: new Map() })).toBe(re.test(v))
      }
    }
  })
})

describe("regex tests on short values", () => {
  it("agree with the regex run alone when a required literal rules the value out", () => {
    const r = rng(5)
    const patterns = [
      String.raw`(?is)^(?:.:\\PerfLogs\\.*\.exe)$`,
      String.raw`(?s)^(?:.:\\Intel\\.*\.exe)$`,
      String.raw`(?i)java\.lang\.(?:runtime|processbuilder)`,
      String.raw`Invoke-Expression.{0,20}FromBase64String`,
    ]
    const parts = [
      "C:",
      "\\",
      "PerfLogs",
      "PERFLOGS",
      "Intel",
      "intel",
      "a.exe",
      ".EXE",
      "java.lang.Runtime",
      "Invoke-Expression",
      "FromBase64String",
      "x",
      "é",
      "\u212a",
    ]
    for (const p of patterns) {
      const re = compileRegex(p)
      if (!re.ok) throw new Error(re.reason)
      const plain = RE2JS.compile(p, RE2JS.LOOKBEHINDS)
      for (let k = 0; k < 300; k++) {
        let v = ""
        const n = 1 + Math.floor(r() * 5)
        for (let j = 0; j < n; j++) v += parts[Math.floor(r() * parts.length)]!
        expect(re.test(v)).toBe(plain.test(v))
      }
    }
  })
})

describe("the compiled-pattern cache", () => {
  it("stays within its bound and recompiles an evicted pattern to the same test", () => {
    const first = compileRegex("^evicted-0$")
    for (let i = 1; i <= REGEX_CACHE_SIZE + 10; i++) compileRegex(`^evicted-${i}$`)
    expect(regexCacheSize()).toBe(REGEX_CACHE_SIZE)
    const again = compileRegex("^evicted-0$")
    expect(again).not.toBe(first)
    expect(again.ok && again.test("evicted-0") && !again.test("evicted-01")).toBe(true)
    // A recent pattern is still the cached object.
    expect(compileRegex(`^evicted-${REGEX_CACHE_SIZE + 10}$`)).toBe(compileRegex(`^evicted-${REGEX_CACHE_SIZE + 10}$`))
  })
})

describe("regular expressions known to be supported", () => {
  it("compile on first use and decide as an eager compile does", () => {
    const leaf = {
      op: "regex" as const,
      id: 1,
      field: "CommandLine",
      pattern: String.raw`(?i)powershell(\.exe)?\s+-e(nc|ncodedcommand)?\s`,
      lang: "search" as const,
    }
    const eager = compile(leaf)
    const lazy = compile(leaf, { supported: () => true })
    expect(lazy.unsupported).toEqual([])
    for (const v of [
      "powershell -enc AAA",
      "POWERSHELL.EXE -e x",
      "cmd /c dir",
      "a".repeat(5000) + " powershell -enc x",
    ])
      expect(evaluate(lazy, { CommandLine: v }).matched).toBe(evaluate(eager, { CommandLine: v }).matched)
  })
})
