import { existsSync, readFileSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { walk } from "../catalog/load.node.ts"
import { fastYamlValue, MAX_YAML_ERRORS, parseYamlFile, parseYamlSlow } from "./yaml.ts"

describe("the fast YAML path", () => {
  it("reads an ordinary rule like the reference parser, with positions on demand", () => {
    const text =
      "name: Demo\nid: 0d7c1a8e-3c55-4b8b-9d0f-1f6d2e1f0a11\nversion: 3\ndate: '2025-01-02'\ntags:\n  mitre_attack_id:\n  - T1047\nsearch: '| tstats count from datamodel=Endpoint.Processes where Processes.process=\"*x*\"'\n"
    const fast = parseYamlFile("a.yml", text)
    expect(fastYamlValue(text)).toBeDefined()
    expect(fast.value).toEqual(parseYamlSlow("a.yml", text).value)
    expect(fast.position(["tags", "mitre_attack_id", 0])).toEqual({ line: 7, column: 5 })
    expect(fast.position(["version"])).toEqual({ line: 3, column: 1 })
  })

  it("keeps dates, yes/no and octal-looking values as the core schema reads them", () => {
    const text = "date: 2025-01-02\nflag: yes\nmode: 0755\nn: 012\nx: 0x1F\nf: 1.5\nnull_value: ~\n"
    expect(fastYamlValue(text)).toEqual(parseYamlSlow("b.yml", text).value)
    expect(fastYamlValue(text)?.date).toBe("2025-01-02")
  })

  it("hands aliases, duplicate keys, several documents and repairs to the reference parser", () => {
    expect(fastYamlValue("a: &x [1, 2]\nb: *x\n")).toBeUndefined()
    expect(fastYamlValue("a: 1\na: 2\n")).toBeUndefined()
    expect(fastYamlValue("a: 1\n---\nb: 2\n")).toBeUndefined()
    expect(parseYamlFile("d.yml", "a: 1\na: 2\n").diagnostics[0]).toMatchObject({ code: "duplicate-key", line: 2 })
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(", ")}]`,
      ),
    ].join("\n")
    expect(parseYamlFile("bomb.yml", bomb).diagnostics[0]).toMatchObject({ code: "yaml-aliases", severity: "error" })
    const repaired = parseYamlFile("r.yml", "name: x\ndescription: 'first line\ncontinued at column one'\n")
    expect(repaired.diagnostics[0]).toMatchObject({ code: "yaml-repaired" })
    expect((repaired.value as { description: string }).description).toBe("first line continued at column one")
  })

  it("reads a list or mapping used as a key as the reference does, with a warning at the key, and no process warning", () => {
    const warned: unknown[] = []
    const onWarning = (w: unknown) => warned.push(w)
    process.on("warning", onWarning)
    try {
      const text = "name: x\n? [a, b]\n: 1\n{c: 1}: 2\nsearch: '[x]: y'\n"
      const r = parseYamlFile("k.yml", text)
      expect(r.value).toEqual({ name: "x", "[ a, b ]": 1, "{ c: 1 }": 2, search: "[x]: y" })
      expect(r.diagnostics.map((d) => [d.line, d.column, d.severity, d.code])).toEqual([
        [2, 3, "warning", "yaml-collection-key"],
        [4, 1, "warning", "yaml-collection-key"],
      ])
      expect(r.diagnostics[0]?.message).toBe(
        "a mapping key here is a list ([a, b]); no field is named so, and it is read as text",
      )
    } finally {
      process.off("warning", onWarning)
    }
    expect(warned).toEqual([])
    // A flow list as a later key of a block mapping: YAML allows it, `yaml` refuses it; js-yaml's reading stands.
    const later = parseYamlFile("l.yml", "name: x\nsub:\n  s: 1\n  [a, b]: 1\n")
    expect(later.value).toEqual({ name: "x", sub: { s: 1, "a,b": 1 } })
    expect(later.diagnostics).toEqual([])
  })

  it("lists the first 20 YAML errors of a file and counts the rest in one more diagnostic", () => {
    const text = Array.from({ length: 31 }, (_, i) => `a: ${i}`).join("\n")
    const { diagnostics } = parseYamlFile("many.yml", text)
    expect(diagnostics).toHaveLength(MAX_YAML_ERRORS + 1)
    expect(diagnostics.slice(0, MAX_YAML_ERRORS).map((d) => d.line)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    )
    expect(diagnostics.at(-1)).toMatchObject({
      severity: "error",
      line: 22,
      message: expect.stringMatching(/^… and 10 more YAML errors in this file/),
    })
    // Exactly at the limit nothing is summarised.
    expect(parseYamlFile("twenty.yml", Array.from({ length: 21 }, () => "a: 1").join("\n")).diagnostics).toHaveLength(
      20,
    )
  })
})

const CORPORA = ["../shared/corpora/security_content", "../shared/corpora/sigma"].filter((p) => existsSync(p))
describe.skipIf(CORPORA.length === 0)("the fast YAML path on the corpora", () => {
  if (CORPORA.length === 0) console.warn("skipped: ../shared/corpora is absent")
  it("gives the reference parser's value on every file it accepts", () => {
    const files = CORPORA.flatMap((c) => walk(c).files.filter((f) => /\.ya?ml$/.test(f)))
    let fast = 0
    for (const f of files) {
      const text = readFileSync(f, "utf8")
      const v = fastYamlValue(text)
      if (v === undefined) continue
      fast++
      expect(v, f).toEqual(parseYamlSlow(f, text).value)
    }
    expect(fast).toBeGreaterThan(files.length * 0.95)
  }, 300_000)
})
