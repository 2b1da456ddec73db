"use client"

import { useEffect, useMemo, useState } from "react"

import { buildNavigatorLayer, layerFileName } from "@/lib/attack/navigator"
import type { RunnableData } from "@/lib/catalog/coverage-view"
import {
  parseSelection,
  runnableRules,
  selectionQuery,
  techniqueRules,
  type RunnableRule,
} from "@/lib/catalog/runnable"
import { withBasePath } from "@/lib/site"

import { downloadLayer } from "@/components/attack/download"
import { ShadeLegend } from "@/components/attack/shades"
import { useUrlState } from "@/components/rules/use-url-state"

import { RuleResults } from "./rule-results"
import { SourcePicker } from "./source-picker"
import { TacticCoverage } from "./tactic-coverage"

const NO_RULES: RunnableRule[] = []

/** The rules' needs, fetched once from /coverage/rules.json (kept out of the page's HTML). */
function useRules(): { rules: RunnableRule[]; error?: string; loading: boolean } {
  const [state, setState] = useState<{ rules?: RunnableRule[]; error?: string }>({})
  useEffect(() => {
    let live = true
    const url = withBasePath("/coverage/rules.json")
    fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`could not load ${url} (${r.status})`)
        return r.json() as Promise<RunnableRule[]>
      })
      .then((rules) => live && setState({ rules }))
      .catch((e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }))
    return () => {
      live = false
    }
  }, [])
  return { rules: state.rules ?? NO_RULES, error: state.error, loading: !state.rules && !state.error }
}

/** "What can I run?": pick collected data sources (kept in `?ds=`), see runnable rules and coverage. */
export function RunCoverage({
  attackVersion,
  sources,
  tactics,
  techniques,
  ruleCount,
  formatLabels,
}: Omit<RunnableData, "rules"> & { ruleCount: number; formatLabels: Record<string, string> }) {
  const { rules, error, loading } = useRules()
  const [state, setState] = useUrlState()
  const selected = useMemo(() => parseSelection(state.ds, sources), [state.ds, sources])
  const result = useMemo(() => runnableRules(rules, selected), [rules, selected])
  const map = useMemo(() => techniqueRules(rules, result.runnable), [rules, result])
  const covered = Object.keys(map).length

  function toggle(i: number, on: boolean) {
    const next = new Set(selected)
    if (on) next.add(i)
    else next.delete(i)
    setState({ ds: selectionQuery(next, sources) })
  }

  function download() {
    const layer = buildNavigatorLayer({
      name: "Detection Atlas: rules you can run",
      description: `Techniques covered by the ${result.runnable.length} rule(s) runnable with: ${[...selected].map((i) => sources[i]?.name).join(", ")}. Score = number of rules.`,
      attackVersion,
      techniques: Object.fromEntries(
        Object.entries(map).map(([id, list]) => [
          id,
          list.flatMap((i) =>
            rules[i] ? [{ name: rules[i].name, url: `/rules/${rules[i].format}/${rules[i].slug}/` }] : [],
          ),
        ]),
      ),
    })
    downloadLayer(layer, layerFileName("runnable"))
  }

  return (
    // minmax(0, 1fr): a grid column otherwise grows to its widest content (the 14-tactic strip
    // below, 2,000 px), taking the whole page past the window instead of scrolling in its box.
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      <SourcePicker sources={sources} selected={selected} onToggle={toggle} onClear={() => setState({ ds: "" })} />
      <div className="flex flex-wrap items-center gap-3">
        <p className="text-sm text-slate-700" aria-live="polite" data-testid="coverage-summary">
          {error
            ? `The rules could not be loaded: ${error}`
            : loading
              ? `Loading ${ruleCount.toLocaleString("en")} rules…`
              : `${result.runnable.length} runnable · ${result.blocked.length} not runnable · ${result.unknown.length} name no data source · ${covered} techniques covered`}
        </p>
        <button
          type="button"
          onClick={download}
          disabled={covered === 0}
          className="rounded border border-sky-700 bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:border-slate-300 disabled:bg-slate-200 disabled:text-slate-700"
        >
          Download Navigator layer
        </button>
      </div>
      <RuleResults rules={rules} sources={sources} result={result} formatLabels={formatLabels} />
      <section aria-labelledby="coverage-matrix-title">
        <h2 id="coverage-matrix-title" className="text-xl font-semibold">
          Technique coverage ({covered})
        </h2>
        <ShadeLegend className="mt-2" />
        <div className="mt-3">
          <TacticCoverage tactics={tactics} techniques={techniques} map={map} />
        </div>
      </section>
    </div>
  )
}
