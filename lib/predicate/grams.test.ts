import { describe, expect, it } from "vitest"

import { rng } from "../fuzz/mutate.ts"
import { globTest } from "./glob.ts"
import { gramIndex, indexFrom, needle } from "./grams.ts"

// Small alphabets make repeated 4-grams, hash collisions and overlapping occurrences common.
function text(r: () => number, n: number, alphabet: string): string {
  let s = ""
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)]
  return s
}

describe("4-gram index", () => {
  it("finds what indexOf finds, from any position", () => {
    const r = rng(7)
    for (const alphabet of ["ab", "abc", "abcdefghij -\\.é😀"]) {
      const value = text(r, 3000, alphabet)
      const g = gramIndex(value)
      for (let k = 0; k < 400; k++) {
        const at = Math.floor(r() * value.length)
        const n =
          r() < 0.5 ? value.slice(at, at + 1 + Math.floor(r() * 12)) : text(r, 1 + Math.floor(r() * 8), alphabet)
        const from = r() < 0.5 ? 0 : Math.floor(r() * (value.length + 5))
        expect(indexFrom(g, needle(n), from)).toBe(value.indexOf(n, from))
      }
    }
  })
  it("answers at the value's edges and for needles longer than the value", () => {
    const value = `${"x".repeat(600)}tail`
    const g = gramIndex(value)
    expect(indexFrom(g, needle("xtail"))).toBe(599)
    expect(indexFrom(g, needle("xxxx"))).toBe(0)
    expect(indexFrom(g, needle("xxxx"), 597)).toBe(-1)
    expect(indexFrom(g, needle(`${value}!`))).toBe(-1)
  })
  it("gives glob tests the same verdicts with and without the index", () => {
    const r = rng(3)
    const value = text(r, 2000, "abcd*")
    const g = gramIndex(value)
    for (let k = 0; k < 300; k++) {
      const p = `${r() < 0.5 ? "*" : ""}${text(r, 1 + Math.floor(r() * 6), "abcd*")}${r() < 0.5 ? "*" : ""}`
      const t = globTest(p)
      expect(t(value, { value, grams: g, held: new Map() })).toBe(t(value))
    }
  })
})
