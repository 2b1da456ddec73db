import { describe, expect, it } from "vitest"

import { rng } from "../fuzz/mutate.ts"
import type { Predicate } from "../predicate/types.ts"
import { flipRescues, replay, type Truth } from "./near-miss.ts"

describe("single-flip rescues", () => {
  it("agree with replaying the predicate once per flipped leaf", () => {
    const r = rng(3)
    const truths: Truth[] = [true, false, "unknown", null]
    let checked = 0
    for (let k = 0; k < 3000; k++) {
      let next = 1
      const maxId = 1 + Math.floor(r() * 8)
      const tree = (depth: number): Predicate => {
        const x = r()
        if (depth > 3 || x < 0.35) {
          // Ids repeat now and then: such trees take the replay path.
          const id = r() < 0.1 ? 1 + Math.floor(r() * maxId) : next++
          return { op: "cmp", id, field: "f", cmpOp: "=", value: "v", lang: "search" }
        }
        if (x < 0.4) return { op: r() < 0.5 ? "true" : "false" }
        if (x < 0.55) return { op: "not", arg: tree(depth + 1) }
        const args = Array.from({ length: 1 + Math.floor(r() * 4) }, () => tree(depth + 1))
        return { op: x < 0.75 ? "and" : x < 0.95 ? "or" : "xor", args }
      }
      const pred = tree(0)
      const outcome = new Map<number, Truth>()
      for (let id = 1; id < next + maxId; id++) if (r() < 0.9) outcome.set(id, truths[Math.floor(r() * 4)]!)
      const rescues = flipRescues(pred, outcome)
      if (!rescues) continue
      checked++
      const asIs = replay(pred, outcome, Number.NaN) === true
      for (let id = 1; id < next + 2; id++)
        expect(rescues.get(id) ?? asIs, `leaf ${id} of ${JSON.stringify(pred)}`).toBe(
          replay(pred, outcome, id) === true,
        )
    }
    expect(checked).toBeGreaterThan(1000)
  })
})
