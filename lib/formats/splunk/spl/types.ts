/**
 * Result types of SPL analysis. All plain JSON data: analyses are built at build time, cached
 * and posted to the web worker.
 *
 * Owns: the shape of SplAnalysis and its parts.
 *
 * Invariants: stage and leaf numbering is stable for the same input; `predicate` leaf ids are
 * unique across the whole rule and the stage predicates share those ids.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Predicate } from "../../../predicate/types.ts"
import type { BlockerCategory } from "./commands.ts"
import type { Diagnostic, MacroStatus } from "./macros.ts"
import type { RowPlan } from "./row-runner.ts"

export type StageRole = "generating" | "filter" | "transform" | "aggregate" | "blocker"

export type Reason = { construct: string; category: BlockerCategory; stage?: number; message: string }

export type SplStage = {
  index: number
  /** Lower-cased command word; the implicit first stage is `search`. */
  command: string
  /** Source text of the stage (after macro expansion, without the pipe). */
  text: string
  /** Span of `text` in `SplAnalysis.expanded`. */
  start: number
  end: number
  /** Names of the macros whose expansion produced (part of) this stage. */
  macros: string[]
  role: StageRole
  /** Filter of this stage over event fields (shares leaf ids with SplAnalysis.predicate). */
  predicate?: Predicate
  evaluable: boolean
  reason?: string
  /** Event fields that must be present or Splunk drops the row (stats BY without fillnull). */
  requires?: string[]
  notes?: string[]
}

export type DataModelInfo = {
  name: string
  nodename?: string
  /** Field prefixes stripped from this rule's fields (`Processes`). */
  prefixes: string[]
  by: string[]
  fillnull: boolean
}

export type MacroCall = {
  name: string
  args: string[]
  status: MacroStatus
  /** Nesting level: 0 for a call written in the search, 1 for a call inside that macro's body... */
  depth: number
  /** Span of the expansion result in `SplAnalysis.expanded` (the call text itself when unknown). */
  start: number
  end: number
}

export type Evaluability = {
  evaluable: boolean
  /** Primary blocker category, by the spec's exclusive order; absent when evaluable. */
  category?: BlockerCategory
  reasons: Reason[]
  /** Caveats that do not block evaluation (needs `_raw`, metadata, nodename membership...). */
  notes: Reason[]
  /** Event fields whose absence makes Splunk drop the event (stats BY fields). */
  requires: string[]
  /** Every reason is an unknown value inside a filter: a decided predicate is the verdict (see lib/predicate/analysis.ts). */
  decidable?: boolean
  /** One event, a log of events, or neither (see lib/predicate/analysis.ts). */
  scope?: "event" | "log" | "none"
}

export type SplAnalysis = {
  expanded: string
  stages: SplStage[]
  /** AND of every filtering stage, fields resolved to event fields. */
  predicate: Predicate
  datamodel?: DataModelInfo
  macroCalls: MacroCall[]
  diagnostics: Diagnostic[]
  evaluability: Evaluability
  parse: { firstStage: "full" | "partial" | "none"; unsupportedConstructs: string[] }
  /**
   * Set when the verdict needs the pipeline run on the event (eval/rex/spath results, where
   * over computed values, lookups): the row runner's plan (row-runner.ts).
   */
  rowPlan?: RowPlan
}
