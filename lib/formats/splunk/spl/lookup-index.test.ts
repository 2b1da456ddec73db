import { describe, expect, it } from "vitest"

import { rng } from "../../../fuzz/mutate.ts"
import { cidrTest } from "../../../predicate/cidr.ts"
import { globTest } from "../../../predicate/glob.ts"
import type { LookupTableData } from "../../../model/types.ts"
import { rowsMatching } from "./lookup-index.ts"

/** Every row tested in turn, as a lookup read a table before it had an index. */
function scan(table: LookupTableData, ix: number, vals: string[]): number[] {
  const column = table.columns[ix]!
  const ci = table.caseSensitive === false
  const out: number[] = []
  table.rows.forEach((r, row) => {
    const cell = r[ix] ?? ""
    let ok: boolean
    if (table.cidr?.includes(column)) {
      const test = cidrTest(cell)
      ok = test ? vals.some((v) => test(v)) : vals.includes(cell)
    } else if (table.wildcard?.includes(column) && cell.includes("*")) {
      const g = globTest(ci ? cell.toLowerCase() : cell)
      ok = vals.some((v) => g(ci ? v.toLowerCase() : v))
    } else ok = vals.some((v) => (ci ? v.toLowerCase() === cell.toLowerCase() : v === cell))
    if (ok) out.push(row)
  })
  return out
}

describe("lookup column index", () => {
  it("finds exactly the rows a scan of every row finds, in table order", () => {
    const r = rng(7)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
    const bits = ["any", "Desk", ".exe", "\\", "tool", "TeamViewer", "ab", "x", "10.0.", "1", "*"]
    const word = () => Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(bits)).join("")
    const rows = Array.from({ length: 300 }, () => [
      word(),
      pick(["10.0.0.0/8", "192.168.1.0/24", "10.0.0.5", "x", ""]),
      word(),
    ])
    for (const caseSensitive of [true, false]) {
      const table: LookupTableData = {
        columns: ["name", "net", "plain"],
        rows,
        wildcard: ["name"],
        cidr: ["net"],
        caseSensitive,
      }
      for (let k = 0; k < 300; k++) {
        const vals = Array.from({ length: 1 + Math.floor(r() * 3) }, () =>
          r() < 0.3 ? pick(["10.1.2.3", "192.168.1.9", "10.0.0.5", "x"]) : r() < 0.5 ? word().toUpperCase() : word(),
        )
        for (const ix of [0, 1, 2]) expect(rowsMatching(table, ix, vals)).toEqual(scan(table, ix, vals))
      }
    }
  })
})
