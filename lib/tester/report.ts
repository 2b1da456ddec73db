/**
 * The tester's report: what one input did to every rule (fired with traces, near misses, rules
 * that cannot be judged on one event, the risk they add per entity), and the options a match
 * takes. Types only, shared by the fast and the reference paths, the worker, the CLI and the UI.
 *
 * Invariants: plain JSON (posted from the worker to the page, printed by the CLI as --json).
 * Must never import: React, Next, Node built-ins.
 */
import type { Event, EvaluateOptions } from "../predicate/index.ts"
import type { BuiltEvents } from "../events/process.ts"
import type { EventShapeId } from "../events/types.ts"
import type { Closeness } from "./near-miss-rank.ts"
import type { RiskContribution, RiskTotal } from "./risk.ts"

/** What is being tested: a built process event (all shapes) or one pasted/flat event. */
export type TesterInput = { built: BuiltEvents } | { event: Event }

export type MatchOptions = {
  threshold?: number
  /** Metadata leaves (index, source, eventtype, tag…) the event lacks: default 'assume'. */
  metadata?: EvaluateOptions["metadata"]
  /** Compute near misses (default true); they cost a traced evaluation of candidate rules. */
  nearMisses?: boolean
}

export type TraceLeaf = {
  id: number
  held: boolean | "unknown"
  /** The leaf as written in the rule (`Processes.process_name=wmic.exe`). */
  test: string
  field?: string
  value?: string
  macro?: string
  /** The leaf sits under NOT: it helps the rule when it does NOT hold. */
  negated?: true
  isNull?: true
  /** Sigma: the search identifier the leaf comes from (`selection_img`). */
  selection?: string
}

export type TraceStage = {
  index: number
  command: string
  result: boolean | "unknown" | "pass" | "blocked"
  reason?: string
  macros: string[]
  leaves: TraceLeaf[]
}

export type RuleRef = {
  id: string
  name: string
  slug: string
  format: string
  type: string
  path: string
  status: string
  /** informational … critical: the Splunk risk severity, the Sigma level. */
  severity?: string
}

export type FiredRule = RuleRef & {
  shape: EventShapeId
  riskScore?: number
  risk: RiskContribution[]
  /** Why the rule adds no risk (`risk` is then empty). */
  noRisk?: string
  trace: TraceStage[]
  /** One line: the positive leaves that held, with their values. */
  summary: string
}

export type NearMiss = RuleRef & {
  shape: EventShapeId
  /** Leaves whose single flip would make the rule fire. */
  failed: TraceLeaf[]
  /** Positive conditions that held on real values, of those counted (near-miss-rank.ts). */
  closeness: Closeness
  trace: TraceStage[]
}

export type Undecided = RuleRef & {
  shape: EventShapeId
  category?: string
  reasons: string[]
  /**
   * What the rule needs to be decided: `log` (several events: aggregation, join), `none` (data
   * nobody has here), `event` (a single-event rule this event leaves open, e.g. a lookup the
   * browser has no table for).
   */
  scope: "event" | "log" | "none"
}

/** What one format's log-source gate made of the input. */
export type GateReport = {
  format: string
  /** The format's label (`Sigma`). */
  formatLabel: string
  /** The gate's label (`Sigma logsource`). */
  label: string
  /** The sources the input counts as, described (`windows/process_creation`); `any` when it names none. */
  sources: string[] | "any"
  /** Why an input naming no source reaches every rule of the format (see FormatGate.ungated). */
  ungated: string
}

export type MatchReport = {
  /** Per format with a log-source gate: which sources the input counts as. */
  gates: GateReport[]
  fired: FiredRule[]
  nearMisses: NearMiss[]
  undecided: Undecided[]
  counts: {
    rules: number
    fired: number
    nearMisses: number
    undecided: number
    notFired: number
    notAnalysed: number
    /** Rules whose log source does not admit this event (not run). */
    notApplicable: number
  }
  risk: { threshold: number; totals: RiskTotal[] }
}
