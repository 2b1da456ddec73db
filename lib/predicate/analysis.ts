/**
 * The format-neutral analysis of one rule: what every rule format's reader produces and what the
 * tester, the indicator table, the search index and the rule pages read, whatever the rule was
 * written in.
 *
 * Owns: `RuleAnalysis` (stages, combined predicate, evaluability with reasons, format detail in a
 * tagged field) and its parts.
 *
 * Invariants:
 * - Plain JSON (cached to disk, posted to a web worker), like the predicate itself.
 * - Leaf ids are unique across the whole rule; every stage predicate shares its leaf ids with
 *   `predicate`, which is the AND of the stage predicates.
 * - `detail.format` is the id of the rule format that produced it; only that format's folder
 *   (lib/formats/<id>/) and its page sections read the rest of `detail`.
 *
 * Must never import: React, Next, Node built-ins, or anything outside lib/predicate.
 */
import type { Predicate } from "./types.ts"

/** What a stage does to the events flowing through it. */
export type StageRole = "generating" | "filter" | "transform" | "aggregate" | "blocker"

/** One construct that keeps a rule from being decided on a single event, or a caveat. */
export interface AnalysisReason {
  /** The construct as named in the rule's language (`lookup`, `eventstats`, `sequence`, `sigma`). */
  construct: string
  /** Blocker category (`aggregation`, `enrichment`, `other`…); free text owned by the format. */
  category: string
  /** Index of the stage the construct sits in, when it belongs to one. */
  stage?: number
  /** One sentence a reader of the rule page understands. */
  message: string
}

/** Whether, and why not, a rule can be decided on one event. */
export interface Evaluability {
  /** True when the single-event verdict is the rule's verdict. */
  evaluable: boolean
  /** The primary blocker category (the format's first reason); absent when evaluable. */
  category?: string
  /** Why the rule cannot be decided on one event; empty when evaluable. */
  reasons: AnalysisReason[]
  /** Caveats that do not block evaluation (reads `_raw`, metadata fields…). */
  notes: AnalysisReason[]
  /** Event fields whose absence makes the rule drop the event (SPL `stats … BY f`). */
  requires: string[]
  /**
   * Set when every reason is an unknown value inside a filter (a field computed by something
   * the engine cannot run), not a stage that cannot run: the predicate's verdict, evaluated
   * three-valued, is then the rule's whenever it is decided (true or false for every value the
   * unknown could take).
   */
  decidable?: boolean
  /**
   * What the rule needs to be decided: `event` (one event: evaluable), `log` (several events:
   * aggregations, joins; a log hunt decides it), `none` (data nobody has here: lookup tables
   * missing from the content, eventtypes, models, GeoIP…). Absent: derive it from `evaluable`.
   */
  scope?: "event" | "log" | "none"
}

/** One step of a rule's pipeline. A format without pipelines has a single `filter` stage. */
export interface RuleStage {
  /** 0-based position; trace and leaf `stage` numbers refer to it. */
  index: number
  /** The stage's command word, lower-case (`search`, `where`, `stats`; `condition` for Sigma). */
  command: string
  /** Source text of the stage as shown on the rule page. */
  text: string
  role: StageRole
  /** This stage's filter over event fields; absent for stages that do not filter. */
  predicate?: Predicate
  /** False when the stage cannot be executed on one event (its `reason` says why). */
  evaluable: boolean
  reason?: string
  /** Event fields that must be present or the stage drops the event. */
  requires?: string[]
  /** Non-blocking remarks about the stage. */
  notes?: string[]
  /** Macros whose expansion produced (part of) this stage (SPL); empty or absent elsewhere. */
  macros?: string[]
  /** Span of `text` in the format's expanded rule text (`detail`), when the format has one. */
  start?: number
  end?: number
}

/**
 * Format-specific detail of an analysis. Each format extends it with its own fields under its
 * own `format` tag (`{ format: "splunk", expanded, macroCalls, … }`).
 */
export interface FormatDetail {
  /** Id of the rule format (`RuleFormat.id`) that produced the analysis. */
  format: string
}

/** Everything the shared engine knows of one rule, whatever its format. */
export interface RuleAnalysis<D extends FormatDetail = FormatDetail> {
  /** Pipeline stages in order; at least one. */
  stages: RuleStage[]
  /** The AND of every filtering stage: the rule's single-event filter. */
  predicate: Predicate
  evaluability: Evaluability
  /**
   * Field prefixes the rule's data model strips (`Processes`): a required field may be read
   * bare or prefixed. Empty or absent when the rule reads raw events.
   */
  prefixes?: string[]
  /**
   * Set when the rule is never judged on one event at all (a Sigma correlation, an EQL
   * sequence, a threshold or machine-learning rule): what it needs, in one sentence. The tester
   * lists such rules apart instead of evaluating them.
   */
  multiEvent?: string
  /** The format's own view of the rule (selections, macro calls, query language…). */
  detail: D
}

/** What a rule needs to be decided: one event, a log of events, or data nobody has here (see Evaluability.scope). */
export function evaluabilityScope(a: Pick<RuleAnalysis, "evaluability" | "multiEvent">): "event" | "log" | "none" {
  if (a.multiEvent !== undefined) return "log"
  if (a.evaluability.evaluable) return "event"
  return a.evaluability.scope ?? "none"
}
