/**
 * Data tables the tester's deciders read (SPL lookup tables), shipped beside the rule chunks and
 * never inside them: at build time, which tables the payload's rules read and their files; in the
 * worker, which of them a response needs (a rule left undecided that reads a table not loaded).
 *
 * Owns: the table files' names and text, and the choice of tables to fetch after a run.
 * Invariants: a table ships only when a payload rule reads it and the content has it; a file is
 * named by its content hash (kept forever by the browser, like the chunks); the worker fetches
 * a table only for a rule the run left undecided, so a command line no lookup rule reaches
 * fetches none.
 * Must never import: React, Next, Node built-ins.
 */
import { FORMAT_TESTERS, findFormatTesting } from "../formats/testers.ts"
import type { MatchReport } from "./report.ts"
import { contentHash, type TableInfo } from "./rules-chunks.ts"
import type { TesterRule } from "./rules-data.ts"
import type { CompiledCatalog } from "./match.ts"
import { evaluabilityScope, type RuleAnalysis } from "../predicate/analysis.ts"

/**
 * Tables the format's decider reads for one rule: none for rules without a decider, and none for
 * rules one event cannot decide whatever the table says (they need a log, or data the catalog
 * lacks).
 */
export function tablesOfRule(format: string, analysis: unknown): string[] {
  if (!analysis || evaluabilityScope(analysis as RuleAnalysis) !== "event") return []
  return findFormatTesting(format)?.tester.tables?.(analysis as RuleAnalysis) ?? []
}

/**
 * The table files of a payload: for each table some row reads and `tables` holds, its manifest
 * entry and its JSON text by file name.
 */
export function tableFiles(
  rows: readonly TesterRule[],
  tables: Readonly<Record<string, unknown>>,
): { manifest: Record<string, TableInfo>; files: Map<string, string> } {
  const names = new Set(rows.flatMap((r) => tablesOfRule(r.format, r.analysis)))
  const manifest: Record<string, TableInfo> = {}
  const files = new Map<string, string>()
  for (const name of [...names].sort()) {
    if (!Object.prototype.hasOwnProperty.call(tables, name)) continue
    const text = JSON.stringify(tables[name])
    const file = `table-${name.replace(/[^\w.-]/g, "_")}.${contentHash(text)}.json`
    manifest[name] = { file, bytes: text.length }
    files.set(file, text)
  }
  return { manifest, files }
}

/**
 * Tables to fetch after a run: those read by a rule some report left undecided, that the
 * manifest ships and that are not loaded yet.
 */
export function tablesWanted(
  catalog: CompiledCatalog,
  reports: readonly MatchReport[],
  shipped: Readonly<Record<string, TableInfo>>,
  loaded: ReadonlySet<string>,
): string[] {
  const undecided = new Set(reports.flatMap((r) => r.undecided.map((u) => u.id)))
  if (undecided.size === 0) return []
  const out = new Set<string>()
  for (const r of catalog.rules) {
    if (!undecided.has(r.detection.id)) continue
    for (const name of tablesOfRule(r.detection.format, r.detection.analysis))
      if (shipped[name] && !loaded.has(name)) out.add(name)
  }
  return [...out]
}

/** Makes fetched tables readable by every format's deciders from now on. */
export function addTables(tables: Readonly<Record<string, unknown>>): void {
  for (const f of FORMAT_TESTERS) f.tester.addTables?.(tables)
}
