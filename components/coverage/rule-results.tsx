"use client"

import { useEffect, useState } from "react"

import type { UnnamedSourceGroup } from "@/lib/catalog/coverage-view"
import type { RunnableResult, RunnableRule, RunnableSource } from "@/lib/catalog/runnable"
import { withBasePath } from "@/lib/site"
import { RuleLink } from "@/components/ui/rule-link"

function RunnableRuleLink({ rule }: { rule: RunnableRule }) {
  return (
    <RuleLink href={`/rules/${rule.format}/${rule.slug}/`} className="text-sky-800 underline underline-offset-2">
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
        <UnnamedSources rules={rules} count={result.unknown.length} formatLabels={formatLabels} kind={kind} />
      )}
    </div>
  )
}

/** The grouped list, fetched once from /coverage/log-sources.json when first shown. */
function useUnnamedGroups(): { groups?: UnnamedSourceGroup[]; error?: string } {
  const [state, setState] = useState<{ groups?: UnnamedSourceGroup[]; error?: string }>({})
  useEffect(() => {
    let live = true
    const url = withBasePath("/coverage/log-sources.json")
    fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`could not load ${url} (${r.status})`)
        return r.json() as Promise<UnnamedSourceGroup[]>
      })
      .then((groups) => live && setState({ groups }))
      .catch((e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }))
    return () => {
      live = false
    }
  }, [])
  return state
}

/**
 * Rules that name no data source the catalog defines (most Sigma and Elastic rules whose log
 * source no data source file describes), grouped by the log source they do name, so a reader can
 * tell which of them their logs feed. Each group folds; its rules render once it is opened.
 */
function UnnamedSources({
  rules,
  count,
  formatLabels,
  kind,
}: {
  rules: RunnableRule[]
  count: number
  formatLabels: Record<string, string>
  kind: (r: RunnableRule) => string
}) {
  const { groups, error } = useUnnamedGroups()
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set())
  const [allGroups, setAllGroups] = useState(false)
  const shownGroups = groups ? (allGroups ? groups : groups.slice(0, SHOWN)) : []
  const split = (ids: number[]) => {
    const n = new Map<string, number>()
    for (const i of ids) {
      const f = rules[i]?.format
      if (f) n.set(f, (n.get(f) ?? 0) + 1)
    }
    return [...n].map(([f, c]) => `${formatLabels[f] ?? f} ${c.toLocaleString("en")}`).join(", ")
  }
  return (
    <section aria-labelledby="unknown-title" className="lg:col-span-2">
      <h2 id="unknown-title" className="text-xl font-semibold">
        Rules that name no data source ({count.toLocaleString("en")})
      </h2>
      <p className="mt-1 max-w-3xl text-sm text-slate-700">
        These rules name no data source this catalog defines, so the boxes above cannot decide them. Below they are
        grouped by the log source each rule does name: a Sigma rule&apos;s logsource, an Elastic rule&apos;s &ldquo;Data
        Source&rdquo; tags, integrations or index patterns, a Splunk search&apos;s data model or sourcetype. If you
        collect that log, you can run them.
      </p>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {error}
        </p>
      )}
      {!groups && !error && <p className="mt-2 text-sm text-slate-600">Loading the log sources they name…</p>}
      {groups && (
        <>
          <p className="mt-2 text-sm text-slate-700" data-testid="unnamed-summary">
            {groups.length.toLocaleString("en")} log sources named.
          </p>
          <ul className="mt-2 grid gap-1 text-sm" data-testid="unknown-rules">
            {shownGroups.map((g) => (
              <li key={g.label}>
                <details
                  onToggle={(e) => {
                    const isOpen = e.currentTarget.open
                    setOpen((prev) => {
                      const next = new Set(prev)
                      if (isOpen) next.add(g.label)
                      else next.delete(g.label)
                      return next
                    })
                  }}
                >
                  <summary className="cursor-pointer">
                    <span className="break-anywhere font-medium text-slate-900">{g.label}</span>{" "}
                    <span className="text-slate-700">
                      ({g.rules.length.toLocaleString("en")} {g.rules.length === 1 ? "rule" : "rules"}: {split(g.rules)}
                      )
                    </span>
                  </summary>
                  {open.has(g.label) && (
                    <ul className="break-anywhere mt-1 mb-2 list-disc pl-8">
                      {g.rules.map(
                        (i) =>
                          rules[i] && (
                            <li key={i}>
                              <RunnableRuleLink rule={rules[i]} />{" "}
                              <span className="text-slate-600">{kind(rules[i])}</span>
                            </li>
                          ),
                      )}
                    </ul>
                  )}
                </details>
              </li>
            ))}
          </ul>
          <ShowAll total={groups.length} shown={SHOWN} what="log sources" onShow={() => setAllGroups(true)} />
        </>
      )}
    </section>
  )
}
