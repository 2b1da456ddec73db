/**
 * The SPL engine's analysis as the format-neutral `RuleAnalysis` the rest of the product reads.
 *
 * Owns: `SplunkDetail` (what only Splunk pages read: the expanded search, the data model, the
 * macro calls, the parse verdict) and the conversion both ways.
 * Invariants: lossless; stages and the predicate are shared, not copied.
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/splunk but
 * lib/predicate, lib/model and lib/source.
 */
import type { FormatDetail, RuleAnalysis } from "../../predicate/analysis.ts"
import type { SplAnalysis } from "./spl/types.ts"

/** The Splunk part of a rule's analysis (`RuleAnalysis.detail` of Splunk rules). */
export interface SplunkDetail extends FormatDetail {
  format: "splunk"
  /** The search after macro expansion; stage spans index into it. */
  expanded: string
  /** The tstats / datamodel the search reads, when it reads one. */
  datamodel?: SplAnalysis["datamodel"]
  macroCalls: SplAnalysis["macroCalls"]
  /** The engine's own findings (macro problems, unbalanced quotes…), before positioning. */
  diagnostics: SplAnalysis["diagnostics"]
  parse: SplAnalysis["parse"]
  /** The row runner's plan, when the verdict needs the pipeline run on the event. */
  rowPlan?: SplAnalysis["rowPlan"]
}

/** The format-neutral view of an SPL analysis. */
export function splRuleAnalysis(a: SplAnalysis): RuleAnalysis<SplunkDetail> {
  const detail: SplunkDetail = {
    format: "splunk",
    expanded: a.expanded,
    macroCalls: a.macroCalls,
    diagnostics: a.diagnostics,
    parse: a.parse,
  }
  if (a.datamodel) detail.datamodel = a.datamodel
  if (a.rowPlan) detail.rowPlan = a.rowPlan
  const out: RuleAnalysis<SplunkDetail> = {
    stages: a.stages,
    predicate: a.predicate,
    evaluability: a.evaluability,
    detail,
  }
  if (a.datamodel) out.prefixes = a.datamodel.prefixes
  return out
}

/** The Splunk detail of an analysis, or undefined when another format produced it. */
export function splunkDetail(a: RuleAnalysis | undefined): SplunkDetail | undefined {
  return a?.detail.format === "splunk" ? (a.detail as SplunkDetail) : undefined
}

/** The SPL analysis a RuleAnalysis of a Splunk rule came from (for the SPL engine's own views). */
export function splAnalysisOf(a: RuleAnalysis): SplAnalysis | undefined {
  const d = splunkDetail(a)
  if (!d) return undefined
  return {
    expanded: d.expanded,
    stages: a.stages as SplAnalysis["stages"],
    predicate: a.predicate,
    ...(d.datamodel ? { datamodel: d.datamodel } : {}),
    macroCalls: d.macroCalls,
    diagnostics: d.diagnostics,
    evaluability: a.evaluability as SplAnalysis["evaluability"],
    parse: d.parse,
    ...(d.rowPlan ? { rowPlan: d.rowPlan } : {}),
  }
}
