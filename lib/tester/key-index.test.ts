import { describe, expect, it } from "vitest"

import { fieldSlot } from "../predicate/event-view.ts"
import { compile, EventView, evaluate, numberLeaves, type Leaf, type Predicate } from "../predicate/index.ts"
import { atomsAt, buildKeyIndex, keyClause, keyHits, keySlot, MAX_GRAM_VALUE } from "./key-index.ts"

const cmp = (field: string, value: string): Predicate => ({
  op: "cmp",
  id: 0,
  field,
  cmpOp: "=",
  value,
  lang: "search",
})

/** A tiny seeded generator, so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32
}

describe("key clauses", () => {
  it("uses exact values, path basenames and trigrams of literals, and none under NOT", () => {
    expect(keyClause(cmp("process_name", "WMIC.exe"), new Set())).toEqual([
      expect.objectContaining({ field: "process_name", kind: "exact", value: "wmic.exe" }),
    ])
    expect(keyClause(cmp("Image", "*\\wmic.exe"), new Set())).toEqual([
      expect.objectContaining({ field: "Image", kind: "base", value: "wmic.exe" }),
    ])
    const gram = keyClause(cmp("CommandLine", "* /node:*"), new Set())
    expect(gram).toHaveLength(1)
    expect(" /node:").toContain(gram![0]!.value)
    expect(keyClause({ op: "not", arg: cmp("a", "x") }, new Set())).toBeUndefined()
    // Each atom says which leaf and value it came from, and atomAt rebuilds it from there.
    const leaf = { ...cmp("Image", "*\\wmic.exe"), id: 7 } as Leaf
    const [atom] = keyClause(leaf, new Set())!
    expect(atom).toMatchObject({ leaf: 7, at: 0 })
    expect(atomsAt(leaf, () => undefined)).toEqual([atom])
    const g = { ...cmp("CommandLine", "* /node:*"), id: 3 } as Leaf
    const [gAtom] = keyClause(g, new Set())!
    expect(atomsAt(g, () => gAtom!.value)).toEqual([gAtom])
    expect(atomsAt(g, () => undefined)).toBeUndefined()
    expect(keyClause(cmp("a", "*ab*"), new Set())).toBeUndefined()
    // OR needs every branch; AND takes the best argument.
    expect(keyClause({ op: "or", args: [cmp("a", "x"), cmp("b", "*y*")] }, new Set())).toBeUndefined()
    expect(
      keyClause({ op: "and", args: [cmp("EventCode", "1"), cmp("Image", "*\\a.exe")] }, new Set())?.[0]?.field,
    ).toBe("Image")
  })

  it("is sound: whenever a rule holds on an event, the index admits it (random patterns and values)", () => {
    const rand = rng(7)
    const alphabet = ["a", "b", "c", "\\", " ", "-", "x", "."]
    const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("")
    const rules: Predicate[] = []
    for (let i = 0; i < 400; i++) {
      const parts = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => word(Math.floor(rand() * 6)))
      const pattern = (rand() < 0.5 ? "*" : "") + parts.join("*") + (rand() < 0.5 ? "*" : "")
      const p = rand() < 0.3 ? { op: "and" as const, args: [cmp("f", pattern), cmp("g", word(2))] } : cmp("f", pattern)
      rules.push(numberLeaves(p))
    }
    const fields = [
      { field: "f", slot: fieldSlot("f") },
      { field: "g", slot: fieldSlot("g") },
    ]
    const keys = rules.map((p) =>
      keyClause(p, new Set())?.map((a) => ({
        slot: keySlot(
          fields.findIndex((f) => f.field === a.field),
          a.kind,
        ),
        value: a.value,
      })),
    )
    expect(keys.filter(Boolean).length).toBeGreaterThan(100)
    const index = buildKeyIndex(keys)
    const compiled = rules.map((p) => compile(p))
    let fired = 0
    for (let e = 0; e < 300; e++) {
      const event = { f: word(Math.floor(rand() * 14)).toUpperCase(), g: word(2) }
      const view = new EventView(event)
      const hits = keyHits(index, fields, rules.length, view)
      compiled.forEach((c, i) => {
        if (evaluate(c, view, { trace: false }).matched !== true) return
        fired++
        if (keys[i]) expect(hits[i], `rule ${i} on ${JSON.stringify(event)}`).toBe(1)
      })
    }
    expect(fired).toBeGreaterThan(50)
  })

  it("reaches data-model fields under their bare and their prefixed names, and only fields the event carries", () => {
    const leaf: Predicate = {
      op: "cmp",
      id: 1,
      field: "process_name",
      dm: "Processes",
      cmpOp: "=",
      value: "wmic.exe",
      lang: "search",
    }
    const fields = [{ field: "process_name", dm: "Processes", slot: fieldSlot("process_name", "Processes") }]
    const key = keyClause(leaf, new Set())!
    const index = buildKeyIndex([key.map((a) => ({ slot: keySlot(0, a.kind), value: a.value }))])
    expect(keyHits(index, fields, 1, new EventView({ "Processes.process_name": "WMIC.exe" }))[0]).toBe(1)
    expect(keyHits(index, fields, 1, new EventView({ process_name: "wmic.exe" }))[0]).toBe(1)
    expect(
      keyHits(index, fields, 1, new EventView({ process_name: "cmd.exe", "Processes.process_name": "wmic.exe" }))[0],
    ).toBe(0)
    expect(keyHits(index, fields, 1, new EventView({ other: "wmic.exe" }))[0]).toBe(0)
  })

  it("admits every trigram-keyed rule when a value is too long to cut into trigrams", () => {
    const key = keyClause(cmp("CommandLine", "*mimikatz*"), new Set())!
    const index = buildKeyIndex([key.map((a) => ({ slot: keySlot(0, a.kind), value: a.value }))])
    const long = `${"z".repeat(MAX_GRAM_VALUE)} mimikatz`
    expect(
      keyHits(
        index,
        [{ field: "CommandLine", slot: fieldSlot("CommandLine") }],
        1,
        new EventView({ CommandLine: long }),
      )[0],
    ).toBe(1)
    expect(
      keyHits(
        index,
        [{ field: "CommandLine", slot: fieldSlot("CommandLine") }],
        1,
        new EventView({ CommandLine: "notepad a.txt" }),
      )[0],
    ).toBe(0)
  })
})
