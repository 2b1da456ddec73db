/**
 * The shapes of a loaded Sigma rule: what the loader keeps of each YAML document and what the
 * compiler derives from its detection.
 *
 * Owns: SigmaLogsource, SigmaAnalysis (attached to a catalog Detection as `sigma`) and the
 * diagnostics the Sigma modules emit before the catalog positions them in a file.
 * Invariants: plain JSON only (cached to disk and posted to a web worker), like every catalog type.
 * Never imports: React, Next, Node built-ins.
 */
import type { Predicate } from "../../predicate/types.ts"

/** The `logsource` of a rule; only the keys the rule sets are present. */
export interface SigmaLogsource {
  product?: string
  category?: string
  service?: string
  /** Free text describing how to collect the events. */
  definition?: string
}

/** One search identifier of the detection, compiled. */
export interface SigmaSelection {
  name: string
  /** The identifier's YAML as written, for display. */
  text: string
  /** Leaf ids are shared with `SigmaAnalysis.predicate`. */
  predicate: Predicate
}

/** A `correlation` document: loaded and labelled, never evaluated on a single event. */
export interface SigmaCorrelation {
  /** event_count, value_count, temporal, temporal_ordered, value_sum, … */
  type: string
  /** Referenced rule ids or names. */
  rules: string[]
  groupBy: string[]
  timespan?: string
  /** The threshold written, e.g. `gte 10`. */
  condition?: string
}

export interface SigmaRelated {
  id: string
  /** derived, obsolete, merged, renamed, similar (or correlation). */
  type: string
}

/** Everything the Sigma compiler knows about one rule. */
export interface SigmaAnalysis {
  kind: "detection" | "correlation"
  logsource: SigmaLogsource
  /** informational, low, medium, high, critical. */
  level?: string
  /** Every tag as written (attack.*, cve.*, detection.*, …). */
  tags: string[]
  /** ATT&CK tactic short names from the tags, including ones newer than the bundled ATT&CK. */
  tactics: string[]
  related: SigmaRelated[]
  falsepositives: string[]
  /** The condition as written (several conditions joined with ` | or | `). */
  condition: string
  selections: SigmaSelection[]
  /** The whole rule as one predicate (the condition with every identifier expanded). */
  predicate: Predicate
  /** False for correlations and for rules using something the evaluator cannot decide. */
  evaluable: boolean
  /** Why the rule cannot be evaluated on one event. */
  reason?: string
  correlation?: SigmaCorrelation
  /** Index of the YAML document inside its file (0-based); only set for multi-document files. */
  document?: number
}

/** A finding on a rule, positioned by the key path inside its YAML document. */
export interface SigmaIssue {
  severity: "error" | "warning"
  code: string
  message: string
  /** Key path inside the document (`["detection", "selection", "Image|endswith"]`). */
  at: Array<string | number>
}
