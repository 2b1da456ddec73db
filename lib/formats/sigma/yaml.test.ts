import { describe, expect, it } from "vitest"

import { readSigmaText } from "./index.ts"
import { parseSigmaYaml, parseSigmaYamlSlow, REFERENCE_MAX_CHARS } from "./yaml.ts"

const TRICKY = `a: 00000429
b: 0777
c: 1_000
d: yes
e: 1.5
f: null
g: ~
h: True
i: 2019-10-23
j: 4688
k: -12
l: 0x1F
m: 1e3
n: ''
`

describe("Sigma YAML reading", () => {
  it("keeps everything but plain decimal integers, floats, booleans and null as strings (PyYAML's reading of the corpus)", () => {
    expect(parseSigmaYamlSlow("t.yml", TRICKY).documents[0]?.value).toEqual({
      a: "00000429",
      b: "0777",
      c: "1_000",
      d: "yes",
      e: 1.5,
      f: null,
      g: null,
      h: true,
      i: "2019-10-23",
      j: 4688,
      k: -12,
      l: "0x1F",
      m: 1000,
      n: "",
    })
  })
  it("the fast path reads exactly what the reference parser reads", () => {
    expect(parseSigmaYaml("t.yml", TRICKY).documents[0]?.value).toEqual(
      parseSigmaYamlSlow("t.yml", TRICKY).documents[0]?.value,
    )
  })
  it("rejects duplicate keys with their position, on either path", () => {
    const r = parseSigmaYaml("t.yml", "title: x\ndetection:\n  a: 1\n  a: 2\n")
    expect(r.documents).toEqual([])
    expect(r.diagnostics[0]).toMatchObject({ code: "duplicate-key", line: 4 })
  })
  it("lists at most 20 YAML errors per file, then counts the rest, across documents", () => {
    const doc = Array.from({ length: 16 }, () => "a: 1").join("\n")
    const r = parseSigmaYaml("t.yml", `${doc}\n---\n${doc}\n`)
    expect(r.diagnostics).toHaveLength(21)
    expect(r.diagnostics.at(-1)?.message).toMatch(/^… and 10 more YAML errors/)
  })
  it("positions keys of later documents lazily", () => {
    const r = parseSigmaYaml("t.yml", "title: one\n---\ntitle: two\nlevel: high\n")
    expect(r.documents.map((d) => d.position(["level"]).line)).toEqual([1, 4])
  })
  it("a file with such a key after another key is read as js-yaml reads it (`yaml` refuses it), not rejected", () => {
    const r = readSigmaText(
      "t.yml",
      "title: Collection key\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n  selection:\n    Image|endswith: '\\\\x.exe'\n  [a, b]: 1\n  condition: selection\n",
    )
    expect(r.rules).toHaveLength(1)
    expect(r.rejected).toBe(0)
    // The key is the text js-yaml makes of it, a search identifier the condition never uses.
    expect(r.diagnostics.find((d) => d.code === "sigma-unused")?.message).toContain("a,b")
  })
  it("warns of a list or mapping used as a key, on a file js-yaml reads too", () => {
    const r = parseSigmaYaml("t.yml", "title: x\ndetection:\n  [a, b]: 1\n  condition: a\n")
    expect(r.documents[0]?.value).toEqual({ title: "x", detection: { "[ a, b ]": 1, condition: "a" } })
    expect(r.diagnostics).toEqual([
      {
        path: "t.yml",
        line: 3,
        column: 3,
        severity: "warning",
        code: "yaml-collection-key",
        message: "a mapping key here is a list ([a, b]); no field is named so, and it is read as text",
      },
    ])
  })
  it("reports a syntax error and an empty file", () => {
    expect(parseSigmaYaml("t.yml", "title: [unclosed\n").diagnostics[0]?.code).toBe("yaml-syntax")
    expect(parseSigmaYaml("t.yml", "").diagnostics[0]?.code).toBe("empty-file")
  })
  describe("a file over REFERENCE_MAX_CHARS", () => {
    // A long hash list, as the corpus's largest rule holds, past the size where `yaml` re-reads.
    const list = (n: number) =>
      Array.from({ length: n }, (_, i) => `      - 'MD5=${i.toString(16).padStart(32, "0")}'`).join("\n")
    const rule = (items: string) =>
      `title: t\nlogsource:\n  product: windows\ndetection:\n  selection:\n    Hashes|contains:\n${items}\n  condition: selection\n`
    const big = rule(list(Math.ceil(REFERENCE_MAX_CHARS / 40) + 10))
    it("is still read whole when js-yaml reads it", () => {
      expect(big.length).toBeGreaterThan(REFERENCE_MAX_CHARS)
      const r = parseSigmaYaml("t.yml", big)
      expect(r.diagnostics).toEqual([])
      expect(
        (r.documents[0]?.value as { detection: { selection: Record<string, string[]> } }).detection.selection[
          "Hashes|contains"
        ],
      ).toHaveLength(Math.ceil(REFERENCE_MAX_CHARS / 40) + 10)
    })
    it("is rejected on js-yaml's error, at its line and column", () => {
      const broken = big.replace(
        "      - 'MD5=00000000000000000000000000000005'",
        "      - 'MD5=00000000000000000000000000000005",
      )
      const r = parseSigmaYaml("t.yml", broken)
      expect(r.documents).toEqual([])
      expect(r.diagnostics).toHaveLength(1)
      expect(r.diagnostics[0]).toMatchObject({ path: "t.yml", severity: "error", code: "yaml-syntax" })
      // The unclosed quote is on line 12; js-yaml reads on to the next line before it fails.
      expect(r.diagnostics[0]).toMatchObject({
        line: 13,
        column: 10,
        message: expect.stringMatching(/^bad indentation .*only the first YAML error is reported\)$/),
      })
    })
    it("keeps duplicate keys a duplicate-key error", () => {
      const r = parseSigmaYaml("t.yml", big.replace("title: t\n", "title: t\ntitle: u\n"))
      expect(r.diagnostics).toEqual([expect.objectContaining({ code: "duplicate-key", line: 2, column: 1 })])
    })
    it("refuses a character YAML forbids, which `yaml` lets through in a smaller file", () => {
      const bell = (s: string) => s.replace("title: t", "title: t\u0007")
      expect(parseSigmaYaml("t.yml", bell(rule(list(3)))).diagnostics).toEqual([])
      const r = parseSigmaYaml("t.yml", bell(big))
      expect(r.documents).toEqual([])
      expect(r.diagnostics[0]).toMatchObject({
        code: "yaml-syntax",
        line: 1,
        message: expect.stringMatching(/non-printable/),
      })
    })
  })
})
