/**
 * An index over one lookup table column, so a `lookup` finds the rows an input value matches
 * without testing every row: exact cells by value, wildcard cells by one trigram of their
 * longest literal run, CIDR cells in a short list. Built once per (table, column) and kept while
 * the table object lives.
 *
 * Owns: which rows of a column a set of input values matches, with the cell semantics of the
 * table's definition: a WILDCARD column's cell holding `*` is a whole-value pattern, a CIDR
 * column's cell that parses as a subnet tests addresses (any other cell of that column is
 * compared exactly, case-sensitively), every other cell is compared exactly, case-folded when
 * the table says `case_sensitive_match = false`.
 *
 * Invariants: `rowsMatching` gives exactly the rows a test of every row would, in ascending order.
 * Never imports: React, Next, Node built-ins.
 */
import { cidrTest } from "../../../predicate/cidr.ts"
import { globTest, type StringTest } from "../../../predicate/glob.ts"
import type { LookupTableData } from "../../../model/types.ts"

type ColumnIndex = {
  /** Folded as the table folds (lower-cased when case-insensitive): rows whose cell is that value. */
  exact: Map<string, number[]>
  /** Cells compared exactly and case-sensitively whatever the table says (a CIDR column's non-subnets). */
  exactCased: Map<string, number[]>
  /** Wildcard cells by one trigram every matching value contains. */
  grams: Map<string, Array<{ row: number; test: StringTest }>>
  /** Wildcard cells with no literal run of three characters: tested on every lookup. */
  always: Array<{ row: number; test: StringTest }>
  cidr: Array<{ row: number; test: (v: string) => boolean }>
  fold: boolean
}

const INDEXES = new WeakMap<LookupTableData, Map<number, ColumnIndex>>()

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k)
  if (list) list.push(v)
  else m.set(k, [v])
}

function buildIndex(table: LookupTableData, ix: number): ColumnIndex {
  const column = table.columns[ix]!
  const fold = table.caseSensitive === false
  const wildcard = table.wildcard?.includes(column) === true
  const cidr = table.cidr?.includes(column) === true
  const out: ColumnIndex = {
    exact: new Map(),
    exactCased: new Map(),
    grams: new Map(),
    always: [],
    cidr: [],
    fold,
  }
  const patterns: Array<{ row: number; pattern: string }> = []
  table.rows.forEach((r, row) => {
    const cell = r[ix] ?? ""
    if (cidr) {
      const test = cidrTest(cell)
      if (test) out.cidr.push({ row, test })
      else push(out.exactCased, cell, row)
    } else if (wildcard && cell.includes("*")) patterns.push({ row, pattern: fold ? cell.toLowerCase() : cell })
    else push(out.exact, fold ? cell.toLowerCase() : cell, row)
  })
  // Each pattern under the trigram of its literal runs that the fewest patterns share.
  const gramsOf = (p: string) => {
    const gs = new Set<string>()
    for (const seg of p.split("*")) for (let i = 0; i + 3 <= seg.length; i++) gs.add(seg.slice(i, i + 3))
    return gs
  }
  const freq = new Map<string, number>()
  const patternGrams = patterns.map(({ pattern }) => gramsOf(pattern))
  for (const gs of patternGrams) for (const g of gs) freq.set(g, (freq.get(g) ?? 0) + 1)
  patterns.forEach(({ row, pattern }, i) => {
    let best: string | undefined
    for (const g of patternGrams[i]!) if (best === undefined || freq.get(g)! < freq.get(best)!) best = g
    const entry = { row, test: globTest(pattern) }
    if (best === undefined) out.always.push(entry)
    else push(out.grams, best, entry)
  })
  return out
}

function columnIndex(table: LookupTableData, ix: number): ColumnIndex {
  let byColumn = INDEXES.get(table)
  if (!byColumn) INDEXES.set(table, (byColumn = new Map()))
  let index = byColumn.get(ix)
  if (!index) byColumn.set(ix, (index = buildIndex(table, ix)))
  return index
}

/** Rows (ascending) whose cell in column `ix` matches one of `values`. */
export function rowsMatching(table: LookupTableData, ix: number, values: readonly string[]): number[] {
  const index = columnIndex(table, ix)
  const rows = new Set<number>()
  const add = (list: readonly number[] | undefined) => {
    if (list) for (const r of list) rows.add(r)
  }
  for (const raw of values) {
    const v = index.fold ? raw.toLowerCase() : raw
    add(index.exact.get(v))
    add(index.exactCased.get(raw))
    for (const c of index.cidr) if (!rows.has(c.row) && c.test(raw)) rows.add(c.row)
    for (const p of index.always) if (!rows.has(p.row) && p.test(v)) rows.add(p.row)
    if (index.grams.size)
      for (let i = 0; i + 3 <= v.length; i++) {
        const list = index.grams.get(v.slice(i, i + 3))
        if (list) for (const p of list) if (!rows.has(p.row) && p.test(v)) rows.add(p.row)
      }
  }
  return [...rows].sort((a, b) => a - b)
}
