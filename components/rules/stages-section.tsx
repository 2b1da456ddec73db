import type { RuleAnalysis, RuleStage, StageRole } from "@/lib/predicate/analysis"
import { Badge } from "@/components/ui/badge"

import { PredicateTree } from "./predicate-tree"

const ROLE_LABEL: Record<StageRole, string> = {
  generating: "generates events",
  filter: "filters events",
  transform: "transforms fields",
  aggregate: "aggregates",
  blocker: "blocks single-event evaluation",
}

/** What a format adds to the shared stage view (components/formats/<id>/). */
export interface StageExtras {
  /** Said when the rule has no analysis. */
  unanalysed?: string
  /** Below a stage's text: what produced it (Splunk's macro expansions). */
  origin?: (stage: RuleStage) => React.ReactNode
  /** Opens the line listing the fields a stage needs (`Splunk drops an event unless it has`). */
  requiresLabel?: string
}

/**
 * "Stages and predicates": the evaluability verdict, then every stage of the rule with its text,
 * what the format says produced it, and its filter as a tree. Repeated elements are styled by
 * the `.stage` rules in app/globals.css to keep each exported page small.
 */
export function StagesSection({ analysis, extras = {} }: { analysis?: RuleAnalysis; extras?: StageExtras }) {
  if (!analysis)
    return (
      <p className="text-sm text-slate-600">
        {extras.unanalysed ?? "The rule could not be analysed; see the build report."}
      </p>
    )
  return (
    <div className="space-y-4">
      <EvaluabilityVerdict analysis={analysis} />
      <ol aria-label="Pipeline stages" className="space-y-4">
        {analysis.stages.map((stage) => (
          <StageItem key={stage.index} stage={stage} extras={extras} />
        ))}
      </ol>
    </div>
  )
}

const where = (stage: number | undefined) => (stage === undefined ? "" : `Stage ${stage + 1}: `)

function EvaluabilityVerdict({ analysis }: { analysis: RuleAnalysis }) {
  const ev = analysis.evaluability
  const tone = ev.evaluable ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"
  return (
    <div data-testid="evaluability" className={`rounded border p-3 text-sm ${tone}`}>
      <p className="font-semibold">
        {ev.evaluable
          ? "Evaluable on a single event"
          : `Not evaluable on a single event${ev.category ? ` (${ev.category})` : ""}`}
      </p>
      <p data-testid="evaluability-scope">
        {ev.evaluable
          ? "Decided on one event."
          : ev.scope === "log"
            ? "Needs several events: decided on a log of events (aggregation or join), not on one event."
            : "Not evaluable here: it needs data the catalog does not have."}
      </p>
      {ev.reasons.length > 0 && (
        <ul aria-label="Reasons" className="mt-1 list-disc pl-5">
          {ev.reasons.map((r, i) => (
            <li key={i}>{`${where(r.stage)}${r.message} [${r.construct}]`}</li>
          ))}
        </ul>
      )}
      {ev.notes.length > 0 && (
        <ul aria-label="Notes" className="mt-1 list-disc pl-5 text-slate-700">
          {ev.notes.map((n, i) => (
            <li key={i}>{`${where(n.stage)}${n.message}`}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

function StageItem({ stage, extras }: { stage: RuleStage; extras: StageExtras }) {
  const title = `Stage ${stage.index + 1}: ${stage.command}`
  return (
    <li aria-label={title} className="stage">
      <h3>
        <span>{title}</span>
        <small className="role">{ROLE_LABEL[stage.role]}</small>
        {!stage.evaluable && <Badge tone="amber">not evaluable</Badge>}
      </h3>
      {stage.text.trim() !== "" && <pre>{stage.text}</pre>}
      {extras.origin?.(stage)}
      {stage.reason && <p className="mt-2 text-sm text-amber-900">{`Not evaluable: ${stage.reason}`}</p>}
      {stage.requires && stage.requires.length > 0 && (
        <p className="break-anywhere mt-2 text-sm text-slate-700">{`${extras.requiresLabel ?? "The stage drops an event unless it has"}: ${stage.requires.join(", ")}`}</p>
      )}
      {stage.notes?.map((n, i) => (
        <p key={i} className="mt-1 text-sm text-slate-600">
          {n}
        </p>
      ))}
      {stage.predicate && (
        <>
          <h4>Predicate</h4>
          <PredicateTree predicate={stage.predicate} />
        </>
      )}
    </li>
  )
}
