"use client"

import { useState } from "react"

import type { RunnableResult, RunnableRule, RunnableSource } from "@/lib/catalog/runnable"
import { RuleLink } from "@/components/ui/rule-link"

function RunnableRuleLink({ rule }: { rule: RunnableRule }) {
  return (
    <RuleLink href={`/rules/${rule.format}/${rule.slug}/`} className="text-sky-800 hover:underline">
      {rule.name}
    </RuleLink>
  )
}

/** Lists longer than this show their first entries and a button for the rest (the corpus has 1,711 rules, the page stays light). */
const SHOWN = 40

function ShowAll({ total, shown, onShow, what }: { total: number; shown: number; onShow: () => void; what: string }) {
  if (total <= shown) return null
  return (
    <button
      type="button"
      onClick={onShow}
      className="mt-2 rounded border border-slate-400 px-2 py-1 text-sm hover:bg-slate-100"
    >
      Show all {total.toLocaleString("en")} {what}
    </button>
  )
}

/** The runnable rules, the blocked ones with what they lack, and those with unknown requirements. */
export function RuleResults({
  rules,
  sources,
  result,
  formatLabels,
}: {
  rules: RunnableRule[]
  sources: RunnableSource[]
  result: RunnableResult
  /** Format ids to labels: the three formats' lists mix, and a Sigma "Detection" reads like any other. */
  formatLabels: Record<string, string>
}) {
  const kind = (r: RunnableRule) => `(${formatLabels[r.format] ?? r.format} · ${r.type})`
  const name = (i: number) => sources[i]?.name ?? `source ${i}`
  const [all, setAll] = useState({ runnable: false, blocked: false, unknown: false })
  const cut = <T,>(xs: T[], key: keyof typeof all): T[] => (all[key] ? xs : xs.slice(0, SHOWN))
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <section aria-labelledby="runnable-title">
        <h2 id="runnable-title" className="text-xl font-semibold">
          Rules you can run ({result.runnable.length})
        </h2>
        {result.runnable.length === 0 && (
          <p className="mt-2 text-sm text-slate-700">Select data sources to see the rules they feed.</p>
        )}
        <ul className="break-anywhere mt-2 list-disc pl-6 text-sm" data-testid="runnable-rules">
          {cut(result.runnable, "runnable").map(
            (i) =>
              rules[i] && (
                <li key={i}>
                  <RunnableRuleLink rule={rules[i]} /> <span className="text-slate-600">{kind(rules[i])}</span>
                </li>
              ),
          )}
        </ul>
        <ShowAll
          total={result.runnable.length}
          shown={SHOWN}
          what="runnable rules"
          onShow={() => setAll({ ...all, runnable: true })}
        />
      </section>
      <section aria-labelledby="blocked-title">
        <h2 id="blocked-title" className="text-xl font-semibold">
          Rules you cannot run ({result.blocked.length})
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Each needs one of the listed alternatives; names joined by + are needed together.
        </p>
        <ul className="break-anywhere mt-2 space-y-1 text-sm" data-testid="blocked-rules">
          {cut(result.blocked, "blocked").map((b) => {
            const rule = rules[b.rule]
            return (
              rule && (
                <li key={b.rule}>
                  <RunnableRuleLink rule={rule} /> <span className="text-slate-600">{kind(rule)}</span>
                  <span className="block text-slate-700">
                    lacks: {b.missing.map((g) => g.map(name).join(" + ")).join(" or ")}
                  </span>
                </li>
              )
            )
          })}
        </ul>
        <ShowAll
          total={result.blocked.length}
          shown={SHOWN}
          what="rules you cannot run"
          onShow={() => setAll({ ...all, blocked: true })}
        />
      </section>
      {result.unknown.length > 0 && (
        <section aria-labelledby="unknown-title" className="lg:col-span-2">
          <h2 id="unknown-title" className="text-xl font-semibold">
            Unknown requirements ({result.unknown.length})
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            These rules name no data source, so whether you can run them is not known.
          </p>
          <ul className="break-anywhere mt-2 list-disc pl-6 text-sm" data-testid="unknown-rules">
            {cut(result.unknown, "unknown").map(
              (i) =>
                rules[i] && (
                  <li key={i}>
                    <RunnableRuleLink rule={rules[i]} /> <span className="text-slate-600">{kind(rules[i])}</span>
                  </li>
                ),
            )}
          </ul>
          <ShowAll
            total={result.unknown.length}
            shown={SHOWN}
            what="rules with unknown requirements"
            onShow={() => setAll({ ...all, unknown: true })}
          />
        </section>
      )}
    </div>
  )
}
