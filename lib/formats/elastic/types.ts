/**
 * The shapes of a loaded Elastic detection rule: what the TOML loader keeps and what the query
 * analysis derives.
 *
 * Owns: ElasticRule (metadata as the catalog shows it), ElasticAnalysis (how far one event can
 * decide the rule, with the parsed query) and ElasticIssue (a finding positioned in the file).
 * Invariants: plain JSON only (cached to disk and posted to a web worker), like every catalog type.
 * Never imports: React, Next, Node built-ins.
 */
import type { Predicate } from "../../predicate/types.ts"

export const RULE_TYPES = [
  "eql",
  "query",
  "new_terms",
  "esql",
  "machine_learning",
  "threshold",
  "threat_match",
] as const
export type ElasticRuleType = (typeof RULE_TYPES)[number]
export type ElasticLanguage = "eql" | "kuery" | "esql" | "lucene"

export interface ElasticAttackRef {
  id: string
  name: string
}

/** One `[[rule.threat]]` block: a tactic and the techniques mapped under it. */
export interface ElasticThreat {
  tactic: ElasticAttackRef
  techniques: Array<ElasticAttackRef & { subtechniques: ElasticAttackRef[] }>
}

/** A `[[rule.filters]]` Kibana filter, reduced to what the evaluator applies. */
export interface ElasticFilter {
  kind: "wildcard" | "exists" | "match_phrase" | "term" | "other"
  field?: string
  value?: string
  caseInsensitive?: boolean
  negate: boolean
  disabled: boolean
}

export interface ElasticRule {
  ruleId: string
  name: string
  description: string
  type: ElasticRuleType
  language?: ElasticLanguage
  query?: string
  /** 1-based line of the file where the query text starts (0 when unknown). */
  queryLine: number
  index: string[]
  riskScore: number
  severity: string
  /** Source-event fields that override the static risk score / severity when present. */
  riskScoreOverride: string[]
  severityOverride: string[]
  tags: string[]
  threat: ElasticThreat[]
  /** Investigation guide (Markdown). */
  note?: string
  /** Setup instructions (Markdown). */
  setup?: string
  references: string[]
  falsePositives: string[]
  author: string[]
  license?: string
  maturity: string
  created?: string
  updated?: string
  /** `metadata.integration`: the integration packages the rule reads. */
  integrations: string[]
  /** `required_fields` when written (`{name, type, ecs}`); the corpus derives them at release. */
  requiredFields: Array<{ name: string; type?: string; ecs?: boolean }>
  /** `related_integrations` when written (`{package, integration, version}`). */
  relatedIntegrations: Array<{ package: string; integration?: string; version?: string }>
  buildingBlock: boolean
  /** In the `_deprecated` folder or with `maturity = "deprecated"`. */
  deprecated: boolean
  from?: string
  interval?: string
  eventCategoryOverride?: string
  newTerms?: { fields: string[]; historyWindowStart?: string }
  threshold?: { fields: string[]; value: number; cardinality: Array<{ field: string; value: number }> }
  machineLearning?: { jobs: string[]; anomalyThreshold?: number }
  threatMatch?: { index: string[]; mappings: Array<Array<{ field: string; value: string }>> }
  filters: ElasticFilter[]
  investigationFields: string[]
  maxSignals?: number
  /** Exception lists referenced (user-managed, nothing to evaluate offline). */
  exceptionLists: string[]
}

/** What one event can say about the rule. */
export type ElasticKind =
  | "single-event"
  | "novelty"
  | "aggregation"
  | "indicator-match"
  | "multi-event"
  | "esql"
  | "machine-learning"
  | "unsupported"

export interface ElasticStage {
  /** `process`, `file`, `any`, … (EQL); absent for KQL. */
  category?: string
  text: string
  predicate: Predicate
  by: string[]
  runs?: number
  missing?: boolean
  until?: boolean
}

export interface ElasticAnalysis {
  kind: ElasticKind
  /** Short label for the kind, as shown on pages and in the tester. */
  label: string
  language?: ElasticLanguage
  /** EQL query shape. */
  shape?: "event" | "sequence" | "sample"
  /**
   * The event filter as one predicate: the whole query (with `filters`) for single-event rules,
   * the filter that makes an event a candidate for novelty / threshold / indicator-match rules.
   * Absent for sequences (see stages), ES|QL, ML and queries that did not parse.
   */
  predicate?: Predicate
  /** Sequence / sample stages, each a single-event filter. */
  stages: ElasticStage[]
  /** `sequence by` / `sample by` keys and `maxspan`. */
  joinKeys: string[]
  maxspan?: string
  /** True when one event matching `predicate` fires the rule. */
  evaluable: boolean
  /** Why one event does not decide the rule (what else the alert needs), when it does not. */
  reason?: string
  /** Reasons of the `unknown` leaves, when any. */
  unsupported: string[]
  /** The query failed to parse in our subset: message and its position in the file. */
  parseError?: { message: string; line: number; column: number }
  /** Fields the query reads (its "required fields"), sorted. */
  fields: string[]
}

export interface ElasticIssue {
  severity: "error" | "warning"
  code: string
  message: string
  /** 1-based; 0 when the finding concerns the whole file. */
  line: number
  column: number
}
