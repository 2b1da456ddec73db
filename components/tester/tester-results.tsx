import { memo, useDeferredValue, useMemo, useState } from "react"

import { EVENT_SHAPE_DEFS } from "@/lib/events/shapes"
import { formatLabel } from "@/lib/formats/testers"
import type { Event } from "@/lib/predicate/types"
import type { MatchReport } from "@/lib/tester/match"
import type { TesterForm, TesterResponse } from "@/lib/tester/form"
import { NEAR_MISS_LIMIT } from "@/lib/tester/near-miss-rank"
import { DEFAULT_STATUSES, STATUS_GROUPS, verdict, type StatusGroup } from "@/lib/tester/verdict"
import { RuleLink } from "@/components/ui/rule-link"

import { FiredReport, NearMissReport } from "./rule-report"
import { clip } from "./rule-trace"

type Props = {
  /** True when nothing is typed yet. */
  empty: boolean
  mode: TesterForm["mode"]
  /** The form's status filter (`TesterForm.status`). */
  status: string
  response?: TesterResponse
  pending: boolean
  onEdit?: (events: Event[]) => void
  onStatuses: (statuses: StatusGroup[]) => void
}

const h2 = "text-xl font-semibold text-slate-900"

function eventsJson(events: Event[]): string {
  return JSON.stringify(events, (_k, v: unknown) => (typeof v === "string" ? clip(v, 2000) : v), 2)
}

/** The form's status filter: its groups, or the default when empty or unreadable. */
export function formStatuses(form: Pick<TesterForm, "status">): StatusGroup[] {
  if (form.status === "") return [...DEFAULT_STATUSES]
  return form.status.split(",").filter((s): s is StatusGroup => (STATUS_GROUPS as readonly string[]).includes(s))
}

/**
 * The worker's answer: per event, the verdict first, then the rules, then the events read.
 *
 * The report is a memoised part that renders from a deferred copy of the answer: a new answer
 * (hundreds of rules at three corpora) renders in slices React can interrupt, so a key typed
 * meanwhile is handled first, and a key that only changes the form does not render it at all.
 */
export function TesterResults({ empty, mode, status, response, pending, onEdit, onStatuses }: Props) {
  const statuses = useMemo(() => formStatuses({ status }), [status])
  const shown = useDeferredValue(response)
  if (empty) return <p className="text-sm text-slate-700">Results appear here as you type.</p>
  return (
    <section aria-labelledby="t-results" className="grid gap-4">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 id="t-results" className={h2}>
          Results
        </h2>
        <p role="status" className="text-sm text-slate-700">
          {pending
            ? "Evaluating…"
            : response?.ok
              ? `Evaluated against ${response.reports[0]?.counts.rules ?? 0} rules.`
              : ""}
        </p>
        {response?.ok && <StatusFilter statuses={statuses} onChange={onStatuses} />}
      </div>
      <ReportBody response={shown} statuses={statuses} mode={mode} onEdit={onEdit} />
    </section>
  )
}

const ReportBody = memo(function ReportBody({
  response,
  statuses,
  mode,
  onEdit,
}: {
  response?: TesterResponse
  statuses: StatusGroup[]
  mode: TesterForm["mode"]
  onEdit?: (events: Event[]) => void
}) {
  const derived = response?.ok ? (response.derived ?? []) : []
  return (
    <>
      {response && !response.ok && (
        <p role="alert" className="rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-900">
          {response.error}
        </p>
      )}
      {response?.ok && (
        <>
          {response.reports.map((r, i) => (
            <div key={i} className="grid gap-3">
              {response.reports.length > 1 && (
                <h3 className="text-lg font-semibold">{response.labels?.[i] ?? `Event ${i + 1}`}</h3>
              )}
              <Report report={r} statuses={statuses} input={i} />
            </div>
          ))}
          {derived.length > 0 && (
            <details className="text-sm" open>
              <summary className="cursor-pointer text-slate-800">Decoded PowerShell ({derived.length})</summary>
              {derived.map((d, i) =>
                d.script !== undefined ? (
                  <div key={i} className="mt-2" data-testid="decoded-script">
                    <p className="text-slate-700">
                      <code>{d.flag}</code> decoded from base64 (UTF-16LE), evaluated as the derived events above:
                    </p>
                    <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap">
                      {clip(d.script, 4000)}
                    </pre>
                  </div>
                ) : (
                  <p key={i} className="mt-2 text-slate-700">
                    <code>{d.flag}</code>: not an encoded script ({d.error}).
                  </p>
                ),
              )}
            </details>
          )}
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-800">
              {mode === "cmd"
                ? `Built events, one per shape (${EVENT_SHAPE_DEFS.map((d) => d.id).join(", ")})`
                : `Events read (${response.events.length})`}
            </summary>
            <pre
              className="mt-2 max-h-96 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs"
              data-testid="built-events"
              // Scrolls when long: reachable by keyboard.
              tabIndex={0}
            >
              {eventsJson(response.events)}
            </pre>
            {mode === "cmd" && onEdit && (
              <p className="mt-2">
                <button
                  type="button"
                  onClick={() => onEdit(response.events)}
                  className="rounded border border-sky-700 px-2 py-1 text-sky-900 hover:bg-sky-50"
                >
                  Edit these events
                </button>{" "}
                <span className="text-slate-700">
                  to change any field; each shape is then evaluated as a pasted event against every rule.
                </span>
              </p>
            )}
          </details>
        </>
      )}
    </>
  )
})

function StatusFilter({ statuses, onChange }: { statuses: StatusGroup[]; onChange: (s: StatusGroup[]) => void }) {
  return (
    <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm lg:ml-auto">
      <legend className="sr-only">Rule statuses counted</legend>
      <span className="text-slate-800" aria-hidden="true">
        Count rules that are
      </span>
      {STATUS_GROUPS.map((g) => (
        <label key={g} className="flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={statuses.includes(g)}
            onChange={(e) =>
              onChange(
                e.target.checked
                  ? STATUS_GROUPS.filter((x) => x === g || statuses.includes(x))
                  : statuses.filter((x) => x !== g),
              )
            }
          />
          {g}
        </label>
      ))}
    </fieldset>
  )
}

const SEVERITY_TONE: Record<string, string> = {
  critical: "text-rose-900",
  high: "text-rose-800",
  medium: "text-amber-900",
  low: "text-slate-800",
  informational: "text-slate-700",
}

function Report({ report, statuses, input }: { report: MatchReport; statuses: StatusGroup[]; input: number }) {
  const v = verdict(report, statuses)
  const c = report.counts
  const [allNear, setAllNear] = useState(false)
  const [undecidedOpen, setUndecidedOpen] = useState(false)
  const hidden = STATUS_GROUPS.filter((g) => v.hidden[g] > 0)
  const near = allNear ? report.nearMisses : report.nearMisses.slice(0, NEAR_MISS_LIMIT)
  return (
    <div className="grid gap-5">
      <div className="rounded border border-slate-400 bg-slate-50 p-3" data-testid="verdict">
        <p className="text-lg font-semibold text-slate-900">
          {v.fired.length === 0
            ? "No rule fires"
            : `${v.fired.length} ${v.fired.length === 1 ? "rule fires" : "rules fire"}`}
          {v.highest && (
            <>
              {" · highest severity "}
              <span className={SEVERITY_TONE[v.highest]}>{v.highest}</span>
            </>
          )}
        </p>
        {hidden.length > 0 && (
          <p className="text-sm text-slate-700">
            Also firing, not counted: {hidden.map((g) => `${v.hidden[g]} ${g}`).join(", ")}.
          </p>
        )}
        <div className="mt-2 grid gap-x-8 gap-y-3 lg:grid-cols-2">
          {v.fired.length > 0 && (
            <ul className="grid content-start gap-0.5 text-sm" aria-label="Firing rules, highest severity first">
              {v.groups.flatMap((g) =>
                g.rules.map((f) => (
                  <li key={`${f.format}/${f.id}`} className="flex flex-wrap gap-x-2">
                    <span className={`w-24 shrink-0 ${SEVERITY_TONE[g.severity] ?? ""}`}>{g.severity}</span>
                    <span className="w-14 shrink-0 text-slate-700">{formatLabel(g.format)}</span>
                    <RuleLink href={`/rules/${f.format}/${f.slug}/`} className="text-sky-800 underline">
                      {f.name}
                    </RuleLink>
                  </li>
                )),
              )}
            </ul>
          )}
          <RiskTotals report={report} totals={v.totals} unnamed={v.unnamed} />
        </div>
      </div>
      {v.groups.length > 0 && (
        <div className="grid gap-3">
          <h3 className="sr-only">Firing rules</h3>
          {v.groups.map((g) => (
            <section key={`${g.format}-${g.severity}`} aria-label={`${formatLabel(g.format)} · ${g.severity}`}>
              <h4 className="text-sm font-semibold text-slate-800">
                {formatLabel(g.format)} · <span className={SEVERITY_TONE[g.severity]}>{g.severity}</span> (
                {g.rules.length})
              </h4>
              <ol className="mt-1 grid gap-2" aria-label="Firing rules">
                {g.rules.map((f) => (
                  <FiredReport key={`${f.format}/${f.id}`} rule={f} input={input} />
                ))}
              </ol>
            </section>
          ))}
        </div>
      )}
      {report.nearMisses.length > 0 && (
        <div>
          <h3 className="text-lg font-semibold">Near misses</h3>
          <p className="text-sm text-slate-700">
            Rules one condition away from firing, closest first: the share of their conditions that held on values of
            this input.
          </p>
          <ol className="mt-2 grid gap-3" aria-label="Near misses">
            {near.map((n) => (
              <NearMissReport key={`${n.format}/${n.id}`} rule={n} input={input} />
            ))}
          </ol>
          {report.nearMisses.length > NEAR_MISS_LIMIT && (
            <button
              type="button"
              className="mt-2 rounded border border-sky-700 px-2 py-1 text-sm text-sky-900 hover:bg-sky-50"
              onClick={() => setAllNear(!allNear)}
            >
              {allNear ? `Show the closest ${NEAR_MISS_LIMIT}` : `Show all ${report.nearMisses.length} near misses`}
            </button>
          )}
        </div>
      )}
      {report.undecided.length > 0 && (
        <details className="text-sm" onToggle={(e) => setUndecidedOpen(e.currentTarget.open)}>
          <summary className="cursor-pointer text-slate-800">
            {report.undecided.length} rules cannot be judged on one event
          </summary>
          {/* Folded, the list is not rendered: up to hundreds of rules nobody sees until asked. */}
          {undecidedOpen && (
            <ul className="mt-2 grid gap-2">
              {report.undecided.map((u) => (
                <li key={`${u.format}/${u.id}`}>
                  <RuleLink href={`/rules/${u.format}/${u.slug}/`} className="text-sky-800 underline">
                    {u.name}
                  </RuleLink>
                  <span className="text-slate-700">: {u.reasons.join("; ") || u.category}</span>{" "}
                  <span data-testid="undecided-scope" className="text-slate-600">
                    {u.scope === "log"
                      ? "(needs several events: decided on a log)"
                      : u.scope === "none"
                        ? "(not evaluable: needs data the catalog does not have)"
                        : "(single-event rule left open by this event)"}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
      <p className="text-sm text-slate-700">
        {c.fired} firing (any status), {c.nearMisses} near misses, {c.undecided} cannot be judged on one event,{" "}
        {c.notFired} not firing
        {c.notAnalysed ? `, ${c.notAnalysed} not analysed` : ""}
        {c.notApplicable ? `, ${c.notApplicable} rules for other log sources not run` : ""}.
        {report.gates.map((g) => (
          <span key={g.format} data-testid={`${g.format}-gate`}>
            {" "}
            {g.sources === "any"
              ? `${g.ungated}, so every ${g.formatLabel} rule read it.`
              : `${g.formatLabel} rules read it as ${g.sources.join(", ")}.`}
          </span>
        ))}
      </p>
    </div>
  )
}

function RiskTotals({
  report,
  totals,
  unnamed,
}: {
  report: MatchReport
  totals: ReturnType<typeof verdict>["totals"]
  unnamed: boolean
}) {
  const { threshold } = report.risk
  return (
    <div data-testid="risk-per-entity">
      <h3 className="text-sm font-semibold text-slate-900">Risk per entity (threshold {threshold})</h3>
      {totals.length === 0 ? (
        <p className="text-sm text-slate-800">
          {unnamed
            ? "The input names no user or host, so risk is shown per rule below."
            : "The firing rules add no risk."}
        </p>
      ) : (
        <>
          <table className="mt-1 text-sm">
            <thead>
              <tr className="text-left">
                <th className="pr-4">Entity</th>
                <th className="pr-4">Score</th>
                <th className="pr-4">Against {threshold}</th>
                <th>Rules</th>
              </tr>
            </thead>
            <tbody>
              {totals.map((t) => (
                <tr key={`${t.field}=${t.value}`} className="align-top">
                  <td className="pr-4 font-mono break-all">
                    {t.field}={clip(t.value, 80)}
                  </td>
                  <td className="pr-4">{t.score}</td>
                  <td className={`pr-4 ${t.exceeds ? "font-semibold text-rose-900" : ""}`}>
                    {t.exceeds ? "exceeds: would alert" : "below: no alert"}
                  </td>
                  <td className="text-xs">{t.rules.length} rules</td>
                </tr>
              ))}
            </tbody>
          </table>
          {unnamed && (
            <p className="text-xs text-slate-700">
              Some risk goes to fields the input does not carry; it is shown per rule below.
            </p>
          )}
        </>
      )}
    </div>
  )
}
