
import type { Event } from "@/lib/predicate/types"
import type { MatchReport } from "@/lib/tester/match"
import type { TesterForm, TesterResponse } from "@/lib/tester/form"
import { isEmptyForm } from "@/lib/tester/form"
import { RuleLink } from "@/components/ui/rule-link"

import { RuleReport } from "./rule-report"
import { clip } from "./rule-trace"

type Props = { form: TesterForm; response?: TesterResponse; pending: boolean; onEdit?: (events: Event[]) => void }

const h2 = "text-xl font-semibold text-slate-900"

function eventsJson(events: Event[]): string {
  return JSON.stringify(events, (_k, v: unknown) => (typeof v === "string" ? clip(v, 2000) : v), 2)
}

/** The worker's answer: built events, then one report per event. */
export function TesterResults({ form, response, pending, onEdit }: Props) {
  if (isEmptyForm(form)) return <p className="text-sm text-slate-700">Results appear here as you type.</p>
  return (
    <section aria-labelledby="t-results" className="grid gap-4">
      <h2 id="t-results" className={h2}>
        Results
      </h2>
      <p role="status" className="text-sm text-slate-700">
        {pending ? "Evaluating…" : response?.ok ? `Evaluated against ${response.reports[0]?.counts.rules ?? 0} rules.` : ""}
      </p>
      {response && !response.ok && (
        <p role="alert" className="rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-900">
          {response.error}
        </p>
      )}
      {response?.ok && (
        <>
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-800">
              {form.mode === "cmd" ? "Built events (CIM, Sysmon 1, Security 4688, Sigma process_creation)" : `Events read (${response.events.length})`}
            </summary>
            <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs" data-testid="built-events">{eventsJson(response.events)}</pre>
            {form.mode === "cmd" && onEdit && (
              <p className="mt-2">
                <button type="button" onClick={() => onEdit(response.events)} className="rounded border border-sky-700 px-2 py-1 text-sky-900 hover:bg-sky-50">
                  Edit these events
                </button>{" "}
                <span className="text-slate-700">to change any field; each shape is then evaluated as a pasted event against every rule.</span>
              </p>
            )}
          </details>
          {response.reports.map((r, i) => (
            <div key={i}>
              {response.reports.length > 1 && <h3 className="text-lg font-semibold">Event {i + 1}</h3>}
              <Report report={r} />
            </div>
          ))}
        </>
      )}
    </section>
  )
}

function Report({ report }: { report: MatchReport }) {
  const c = report.counts
  return (
    <div className="grid gap-6">
      <p className="text-sm text-slate-700">
        {c.fired} firing, {c.nearMisses} near misses, {c.undecided} cannot be judged on one event, {c.notFired} not firing
        {c.notAnalysed ? `, ${c.notAnalysed} not analysed` : ""}
        {c.notApplicable ? `, ${c.notApplicable} rules for other log sources not run` : ""}.
        {report.gates.map((g) => (
          <span key={g.format} data-testid={`${g.format}-gate`}>
            {" "}
            {g.sources === "any" ? `${g.ungated}, so every ${g.formatLabel} rule read it.` : `${g.formatLabel} rules read it as ${g.sources.join(", ")}.`}
          </span>
        ))}
      </p>
      <div>
        <h3 className="text-lg font-semibold">Firing rules</h3>
        {report.fired.length === 0 ? (
          <p className="text-sm text-slate-700">No rule fires on this input.</p>
        ) : (
          <ol className="mt-2 grid gap-3" aria-label="Firing rules">
            {report.fired.map((f) => (
              <RuleReport key={f.id} rule={f} />
            ))}
          </ol>
        )}
      </div>
      {report.nearMisses.length > 0 && (
        <div>
          <h3 className="text-lg font-semibold">Near misses</h3>
          <ol className="mt-2 grid gap-3" aria-label="Near misses">
            {report.nearMisses.map((n) => (
              <RuleReport key={n.id} rule={n} />
            ))}
          </ol>
        </div>
      )}
      <RiskTotals report={report} />
      {report.undecided.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-800">{report.undecided.length} rules cannot be judged on one event</summary>
          <ul className="mt-2 grid gap-2">
            {report.undecided.map((u) => (
              <li key={u.id}>
                <RuleLink href={`/rules/${u.format}/${u.slug}/`} className="text-sky-800 underline">
                  {u.name}
                </RuleLink>
                <span className="text-slate-700">: {u.reasons.join("; ") || u.category}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}

function RiskTotals({ report }: { report: MatchReport }) {
  const { totals, threshold } = report.risk
  if (totals.length === 0) return null
  return (
    <div>
      <h3 className="text-lg font-semibold">Risk per entity</h3>
      <table className="mt-2 text-sm">
        <thead>
          <tr className="text-left">
            <th className="pr-4">Entity</th>
            <th className="pr-4">Score</th>
            <th className="pr-4">Against threshold {threshold}</th>
            <th>Rules</th>
          </tr>
        </thead>
        <tbody>
          {totals.map((t) => (
            <tr key={`${t.field}=${t.value}`} className="align-top">
              <td className="pr-4 font-mono break-all">{t.field}={clip(t.value, 80)}</td>
              <td className="pr-4">{t.score}</td>
              <td className="pr-4">{t.exceeds ? "exceeds: would alert" : "below: no alert"}</td>
              <td>{t.rules.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
