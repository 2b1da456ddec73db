import type { MacroCall, SplAnalysis, SplStage } from "@/lib/formats/splunk/spl"
import { Badge } from "@/components/ui/badge"

import { PredicateTree } from "./predicate-tree"

const ROLE_LABEL: Record<SplStage["role"], string> = {
  generating: "generates events",
  filter: "filters events",
  transform: "transforms fields",
  aggregate: "aggregates",
  blocker: "blocks single-event evaluation",
}

/**
 * "Stages and predicates": the evaluability verdict, then every pipeline stage with its text,
 * its macros expanded and its filter as a tree. Repeated elements are styled by the `.stage`
 * rules in app/globals.css to keep each exported page small.
 */
export function StagesSection({ analysis }: { analysis?: SplAnalysis }) {
  if (!analysis)
    return <p className="text-sm text-slate-600">The SPL engine could not analyse this search; see the build report.</p>
  return (
    <div className="space-y-4">
      <EvaluabilityVerdict analysis={analysis} />
      <ol aria-label="Pipeline stages" className="space-y-4">
        {analysis.stages.map((stage) => (
          <StageItem key={stage.index} stage={stage} calls={stageCalls(analysis, stage)} expanded={analysis.expanded} />
        ))}
      </ol>
    </div>
  )
}

/** Macro calls whose expansion overlaps the stage, parents before children. */
function stageCalls(a: SplAnalysis, s: SplStage): MacroCall[] {
  return a.macroCalls.filter(
    (c) => (c.start < s.end && c.end > s.start) || (c.start === c.end && c.start >= s.start && c.start <= s.end),
  )
}

const where = (stage: number | undefined) => (stage === undefined ? "" : `Stage ${stage + 1}: `)

function EvaluabilityVerdict({ analysis }: { analysis: SplAnalysis }) {
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

function StageItem({ stage, calls, expanded }: { stage: SplStage; calls: MacroCall[]; expanded: string }) {
  const title = `Stage ${stage.index + 1}: ${stage.command}`
  return (
    <li aria-label={title} className="stage">
      <h3>
        <span>{title}</span>
        <small className="role">{ROLE_LABEL[stage.role]}</small>
        {!stage.evaluable && <Badge tone="amber">not evaluable</Badge>}
      </h3>
      <pre>{stage.text}</pre>
      {calls.length > 0 && (
        <ul aria-label="Macros" className="stage-macros">
          {calls.map((c, i) => (
            <li key={i} style={c.depth > 0 ? { marginLeft: `${c.depth * 1.25}rem` } : undefined}>
              <b>{`\`${c.name}${c.args.length > 0 ? `(${c.args.join(", ")})` : ""}\``}</b>
              {" → "}
              <MacroExpansion call={c} text={expanded.slice(c.start, c.end)} />
            </li>
          ))}
        </ul>
      )}
      {stage.reason && <p className="mt-2 text-sm text-amber-900">{`Not evaluable: ${stage.reason}`}</p>}
      {stage.requires && stage.requires.length > 0 && (
        <p className="break-anywhere mt-2 text-sm text-slate-700">{`Splunk drops an event unless it has: ${stage.requires.join(", ")}`}</p>
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

function MacroExpansion({ call, text }: { call: MacroCall; text: string }) {
  if (call.status === "unknown") return <small>not defined in macros/ (left unexpanded)</small>
  const note = call.status === "filter" ? " (empty tuning hook)" : call.status === "cim" ? " (Splunk CIM add-on)" : ""
  return (
    <>
      <code>{text.trim() === "" ? "(empty)" : text}</code>
      {note && <small>{note}</small>}
    </>
  )
}
