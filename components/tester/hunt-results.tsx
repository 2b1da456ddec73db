"use client"

import { Fragment, useMemo, useState } from "react"

import { formatLabel } from "@/lib/formats/testers"
import { huntCsv, huntJsonObject, huntLayer } from "@/lib/hunt/export"
import type { RuleHits } from "@/lib/hunt/hunt"
import type { HuntMessage } from "@/lib/hunt/hunt.worker"
import type { HuntTrace } from "@/lib/hunt/trace"
import { isoTime } from "@/lib/hunt/time"
import { downloadLayer } from "@/components/attack/download"
import { saveFile } from "@/components/ui/save-file"
import { RuleLink } from "@/components/ui/rule-link"
import { Table, Td, Th } from "@/components/ui/table"

export type HuntDone = Extract<HuntMessage, { type: "done" }>

const h3 = "text-lg font-semibold text-slate-900"
const button =
  "rounded border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-700"

const when = (t: number | undefined) =>
  t === undefined ? "–" : (isoTime(t) ?? "–").replace("T", " ").replace(/\.\d+Z$/, "Z")
const stem = (name: string) => name.replace(/\.[^.]+$/, "").replace(/[^\w.-]+/g, "-") || "log"

/** Fields shown first for an event, when it has them. */
const LEAD = [
  "_time",
  "time",
  "process",
  "CommandLine",
  "process_name",
  "parent_process",
  "user",
  "User",
  "dest",
  "Computer",
]

function EventFields({ fields }: { fields: Record<string, string> }) {
  const keys = [...LEAD.filter((k) => k in fields), ...Object.keys(fields).filter((k) => !LEAD.includes(k))].slice(0, 8)
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-3 text-xs">
      {keys.map((k) => (
        <Fragment key={k}>
          <dt className="font-mono text-slate-600">{k}</dt>
          <dd className="font-mono break-all text-slate-900">{fields[k]}</dd>
        </Fragment>
      ))}
    </dl>
  )
}

function TraceView({ trace }: { trace: HuntTrace[] }) {
  if (!trace.length) return <p className="text-xs text-slate-700">No trace: the event was not kept.</p>
  return (
    <div className="grid gap-1">
      {trace.map((t) => (
        <div key={t.shape} className="text-xs">
          <p className="text-slate-700">
            Read as <code>{t.shape}</code>:{" "}
            {t.matched === true ? "passes" : t.matched === false ? "does not pass" : "undecided"}
          </p>
          <ul className="ml-4 list-disc">
            {t.leaves.map((l, i) => (
              <li key={i} className={l.held === true ? "text-emerald-900" : "text-slate-700"}>
                <span className="font-mono">
                  {l.negated ? "NOT " : ""}
                  {l.test}
                </span>{" "}
                {l.held === true ? "held" : l.held === false ? "failed" : "undecided"}
                {l.value !== undefined ? ` on "${l.value.length > 120 ? `${l.value.slice(0, 117)}…` : l.value}"` : ""}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}

function DrillDown({
  rule,
  result,
  trace,
}: {
  rule: RuleHits
  result: HuntDone
  trace: (rule: string, event: number) => Promise<{ trace: HuntTrace[] }>
}) {
  const kept = useMemo(() => new Map(result.kept.map((k) => [k.index, k])), [result.kept])
  const events = rule.events.filter((i) => kept.has(i)).slice(0, 20)
  const [traces, setTraces] = useState<Record<number, HuntTrace[]>>({})
  const key = `${rule.format}:${rule.id}`
  return (
    <div className="sticky left-0 grid max-w-[calc(100vw-3rem)] gap-3 py-2 sm:max-w-none" data-testid="hunt-drilldown">
      {rule.rows && rule.rows.length > 0 && (
        <div>
          <p className="text-sm font-medium text-slate-800">
            Result rows ({rule.hits > rule.rows.length ? `first ${rule.rows.length} of ${rule.hits}` : rule.hits})
          </p>
          <ul className="grid gap-2">
            {rule.rows.slice(0, 10).map((r, i) => (
              <li key={i} className="rounded border border-slate-200 p-2">
                <EventFields
                  fields={Object.fromEntries(
                    Object.entries(r.row).map(([k, v]) => [k, Array.isArray(v) ? v.join(" | ") : v]),
                  )}
                />
                <p className="mt-1 text-xs text-slate-600">from events {r.events.slice(0, 20).join(", ")}</p>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div>
        <p className="text-sm font-medium text-slate-800">
          Events behind the hits ({rule.eventCount.toLocaleString("en")}
          {events.length < rule.eventCount ? `; the first ${events.length} shown` : ""})
        </p>
        <ul className="grid gap-2">
          {events.map((i) => (
            <li key={i} className="rounded border border-slate-200 p-2">
              <p className="text-xs text-slate-600">
                Event {i + 1} (line {kept.get(i)?.line})
              </p>
              <EventFields fields={kept.get(i)?.fields ?? {}} />
              {traces[i] ? (
                <TraceView trace={traces[i]} />
              ) : (
                <button
                  type="button"
                  className={`${button} mt-1`}
                  onClick={() => void trace(key, i).then((m) => setTraces((t) => ({ ...t, [i]: m.trace })))}
                >
                  Why it matched
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  )
}

/** Techniques hit, grouped by tactic, shaded by hits (the number is always written). */
function Heatmap({ result }: { result: HuntDone }) {
  const byTactic = new Map<string, HuntDone["report"]["attack"]>()
  for (const t of result.report.attack)
    for (const tac of t.tactics.length ? t.tactics : ["other"]) byTactic.set(tac, [...(byTactic.get(tac) ?? []), t])
  const max = Math.max(1, ...result.report.attack.map((t) => t.hits))
  const shade = (hits: number) => {
    const r = Math.log(1 + hits) / Math.log(1 + max)
    return r > 0.75
      ? "bg-sky-800 text-white"
      : r > 0.5
        ? "bg-sky-300 text-slate-900"
        : r > 0.25
          ? "bg-sky-100 text-slate-900"
          : "bg-sky-50 text-slate-900"
  }
  if (!result.report.attack.length) return null
  return (
    <section aria-labelledby="hunt-heatmap" className="grid gap-2">
      <h3 id="hunt-heatmap" className={h3}>
        Techniques hit
      </h3>
      <div className="flex flex-wrap gap-3" data-testid="hunt-heatmap">
        {[...byTactic].map(([tactic, techs]) => (
          <div key={tactic} className="min-w-40">
            <p className="text-xs font-semibold text-slate-700 uppercase">{tactic.replace(/-/g, " ")}</p>
            <ul className="mt-1 grid gap-1">
              {techs.map((t) => (
                <li key={t.id} className={`rounded px-2 py-1 text-xs ${shade(t.hits)}`}>
                  <span className="font-mono">{t.id}</span> {t.name} · {t.hits.toLocaleString("en")} hit
                  {t.hits === 1 ? "" : "s"}, {t.rules} rule{t.rules === 1 ? "" : "s"}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </div>
    </section>
  )
}

/** The hunt's report: summary, exports, rules with hits (drill-down), risk per entity, heatmap. */
export function HuntResults({
  name,
  result,
  trace,
}: {
  name: string
  result: HuntDone
  trace: (rule: string, event: number) => Promise<{ trace: HuntTrace[] }>
}) {
  const { report } = result
  const [open, setOpen] = useState<string>()
  const alerting = report.risk.entities.filter((e) => e.exceeds)
  return (
    <div className="grid gap-6" data-testid="hunt-results">
      <p role="status" className="text-sm text-slate-800">
        {name}: {report.events.toLocaleString("en")} events in {result.seconds.toFixed(1)} s;{" "}
        <strong>{report.rules.length}</strong> rule{report.rules.length === 1 ? "" : "s"} with hits of{" "}
        {report.counts.rules.toLocaleString("en")} ({report.counts.log} run over the whole log, {report.counts.event}{" "}
        event by event, {report.counts.notHunted} not hunted).
        {result.errorCount > 0 && ` ${result.errorCount} line(s) could not be read.`}
      </p>
      {result.errors.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-amber-900">Lines not read ({result.errorCount})</summary>
          <ul className="ml-4 list-disc text-xs">
            {result.errors.map((e, i) => (
              <li key={i}>
                {name}:{e.line}: {e.message}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          className={button}
          onClick={() =>
            saveFile(
              `${JSON.stringify(huntJsonObject(report), null, 1)}\n`,
              "application/json",
              `hunt-${stem(name)}.json`,
            )
          }
        >
          Export JSON
        </button>
        <button
          type="button"
          className={button}
          onClick={() => saveFile(huntCsv(report), "text/csv", `hunt-${stem(name)}.csv`)}
        >
          Export CSV
        </button>
        <button
          type="button"
          className={button}
          disabled={!report.attack.length}
          onClick={() => downloadLayer(huntLayer(report, result.attackVersion, name), `hunt-${stem(name)}-layer.json`)}
        >
          Export Navigator layer
        </button>
      </div>
      {report.rules.length > 0 && (
        <section aria-labelledby="hunt-rules" className="grid gap-2">
          <h3 id="hunt-rules" className={h3}>
            Rules with hits
          </h3>
          <Table data-testid="hunt-table">
            <thead>
              <tr>
                <Th>Rule</Th>
                <Th>Hits</Th>
                <Th>First</Th>
                <Th>Last</Th>
                <Th>Entities</Th>
                <Th>Events</Th>
              </tr>
            </thead>
            <tbody>
              {report.rules.slice(0, 500).map((r) => {
                const key = `${r.format}:${r.id}`
                return (
                  <Fragment key={key}>
                    <tr>
                      <Td className="min-w-48">
                        <RuleLink href={`/rules/${r.format}/${r.slug}/`} className="text-sky-800 underline">
                          {r.name}
                        </RuleLink>
                        <span className="block text-xs text-slate-600">
                          {formatLabel(r.format)} · {r.mode === "log" ? "over the log" : "per event"}
                          {r.truncated ? ` · incomplete: ${r.truncated.join("; ")}` : ""}
                        </span>
                      </Td>
                      <Td className="tabular-nums">{r.hits.toLocaleString("en")}</Td>
                      <Td className="text-xs whitespace-nowrap">{when(r.first)}</Td>
                      <Td className="text-xs whitespace-nowrap">{when(r.last)}</Td>
                      <Td className="text-xs">
                        {r.entities.slice(0, 4).map((e) => (
                          <span key={`${e.field}=${e.value}`} className="block whitespace-nowrap">
                            {e.field}={e.value}
                          </span>
                        ))}
                        {r.entities.length > 4 ? "…" : ""}
                      </Td>
                      <Td>
                        <button
                          type="button"
                          className={`${button} whitespace-nowrap`}
                          aria-expanded={open === key}
                          onClick={() => setOpen(open === key ? undefined : key)}
                        >
                          {open === key ? "Hide" : "Show"} {r.eventCount.toLocaleString("en")}
                          <span className="sr-only"> events of {r.name}</span>
                        </button>
                      </Td>
                    </tr>
                    {open === key && (
                      <tr>
                        <Td colSpan={6}>
                          <DrillDown rule={r} result={result} trace={trace} />
                        </Td>
                      </tr>
                    )}
                  </Fragment>
                )
              })}
            </tbody>
          </Table>
        </section>
      )}
      {report.risk.entities.length > 0 && (
        <section aria-labelledby="hunt-risk" className="grid gap-2">
          <h3 id="hunt-risk" className={h3}>
            Risk per entity (threshold {report.risk.threshold})
          </h3>
          <p className="text-sm text-slate-700">
            {alerting.length
              ? `${alerting.length} entit${alerting.length === 1 ? "y exceeds" : "ies exceed"} the threshold over this log.`
              : "No entity exceeds the threshold over this log."}
          </p>
          <Table>
            <thead>
              <tr>
                <Th>Entity</Th>
                <Th>Risk</Th>
                <Th>Rules</Th>
              </tr>
            </thead>
            <tbody>
              {report.risk.entities.slice(0, 50).map((e) => (
                <tr key={`${e.field}=${e.value}`}>
                  <Td className="font-mono text-xs">
                    {e.field}={e.value}
                  </Td>
                  <Td className="tabular-nums">
                    {e.score} {e.exceeds ? <strong className="text-rose-800">exceeds</strong> : ""}
                  </Td>
                  <Td className="text-xs">{e.rules.length}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      )}
      <Heatmap result={result} />
    </div>
  )
}
