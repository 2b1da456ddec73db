import { describe, expect, it } from "vitest"

import { parseSigmaYaml, parseSigmaYamlSlow } from "./yaml.ts"

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
      a: "00000429", b: "0777", c: "1_000", d: "yes", e: 1.5, f: null, g: null, h: true, i: "2019-10-23", j: 4688, k: -12, l: "0x1F", m: 1000, n: "",
    })
  })
  it("the fast path reads exactly what the reference parser reads", () => {
    expect(parseSigmaYaml("t.yml", TRICKY).documents[0]?.value).toEqual(parseSigmaYamlSlow("t.yml", TRICKY).documents[0]?.value)
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
  it("reports a syntax error and an empty file", () => {
    expect(parseSigmaYaml("t.yml", "title: [unclosed\n").diagnostics[0]?.code).toBe("yaml-syntax")
    expect(parseSigmaYaml("t.yml", "").diagnostics[0]?.code).toBe("empty-file")
  })
})
