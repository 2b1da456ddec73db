"use client"

import Link from "next/link"
import { useMemo, useState } from "react"

import { cellCount, FACET_KEYS, selectRows, shadeLevel, type CoverageFilter, type FacetKey } from "@/lib/attack/coverage"
import { buildNavigatorLayer, layerFileName, type LayerRule } from "@/lib/attack/navigator"
import type { MatrixData } from "@/lib/catalog/technique-view"
import { withBasePath } from "@/lib/site"

import { useUrlState } from "@/components/rules/use-url-state"

import { downloadLayer } from "./download"
import { shadeClass, ShadeLegend } from "./shades"

const LABELS: Record<FacetKey, string> = {
  format: "Format",
  type: "Type",
  status: "Status",
  domain: "Security domain",
  dataSource: "Data source",
}

/** URL query keys of the facets. */
const PARAM: Record<FacetKey, string> = { format: "format", type: "type", status: "status", domain: "domain", dataSource: "ds" }

export type AttackMatrixProps = Omit<MatrixData, "flagged">

/** The ATT&CK matrix heat map with facet filters held in the URL and a Navigator layer export. */
export function AttackMatrix({ attackVersion, shape, map, facets }: AttackMatrixProps) {
  const [state, setState] = useUrlState()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const filter: CoverageFilter = Object.fromEntries(FACET_KEYS.map((k) => [k, state[PARAM[k]] ?? ""]))
  const key = FACET_KEYS.map((k) => filter[k]).join("\u0000")
  const filtered = FACET_KEYS.some((k) => filter[k])
  const selected = useMemo(() => (filtered ? selectRows(facets, filter) : undefined), [facets, key]) // eslint-disable-line react-hooks/exhaustive-deps
  const covered = useMemo(
    () => Object.keys(map).filter((id) => shape.names[id] !== undefined && (map[id] ?? []).some((i) => !selected || selected.has(i))).sort(),
    [map, shape, selected],
  )
  const ruleCount = selected ? selected.size : facets.rows.length

  async function download() {
    setBusy(true)
    setError(undefined)
    try {
      const res = await fetch(withBasePath("/attack/rules.json"))
      if (!res.ok) throw new Error(`rule list: HTTP ${res.status}`)
      const list = (await res.json()) as Array<[string, string]>
      const techniques: Record<string, LayerRule[]> = {}
      for (const id of covered) {
        techniques[id] = (map[id] ?? []).filter((i) => !selected || selected.has(i)).map((i) => ({ name: list[i]?.[0] ?? `rule ${i}`, url: list[i]?.[1] ?? "/" }))
      }
      const desc = FACET_KEYS.filter((k) => filter[k]).map((k) => `${LABELS[k]}=${filter[k]}`).join(", ")
      const layer = buildNavigatorLayer({
        name: `Detection Atlas coverage${desc ? ` (${desc})` : ""}`,
        description: `Techniques covered by ${ruleCount} rule(s) of the catalog${desc ? `, filtered by ${desc}` : ""}. Score = number of rules.`,
        attackVersion,
        techniques,
      })
      downloadLayer(layer, layerFileName(desc ? `matrix-${desc}` : "matrix"))
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div>
      <form className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter rules of the matrix" onSubmit={(e) => e.preventDefault()}>
        {FACET_KEYS.map((k) => (
          <div key={k} className="flex flex-col text-sm">
            <label htmlFor={`matrix-${k}`} className="text-slate-700">{LABELS[k]}</label>
            <select
              id={`matrix-${k}`}
              value={filter[k]}
              onChange={(e) => setState({ [PARAM[k]]: e.target.value })}
              className="max-w-56 rounded border border-slate-300 px-2 py-1"
            >
              <option value="">all</option>
              {facets.values[k].map((v) => (
                <option key={v} value={v}>{v}</option>
              ))}
            </select>
          </div>
        ))}
        <button
          type="button"
          onClick={download}
          disabled={busy || covered.length === 0}
          className="rounded border border-sky-700 bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 disabled:border-slate-300 disabled:bg-slate-200 disabled:text-slate-700"
        >
          Download Navigator layer
        </button>
      </form>
      {error && <p role="alert" className="mt-2 text-sm text-red-800">{error}</p>}
      <p className="mt-3 text-sm text-slate-700" aria-live="polite" data-testid="matrix-summary">
        {ruleCount} rules · {covered.length} techniques covered
      </p>
      <ShadeLegend className="mt-2" />
      <div className="mt-4 overflow-x-auto pb-4" data-testid="attack-matrix">
        <div className="flex gap-2" style={{ minWidth: `${shape.tactics.length * 10}rem` }}>
          {shape.tactics.map((t) => (
            <section key={t.shortname} aria-labelledby={`tactic-${t.shortname}`} className="w-40 shrink-0">
              <h2 id={`tactic-${t.shortname}`} className="mb-2 text-sm font-semibold leading-tight">
                <Link href={`/tactics/${t.shortname}/`} prefetch={false} className="text-slate-900 hover:underline">{t.name}</Link>
                <span className="block text-xs font-normal text-slate-600">{t.techniques.length} techniques</span>
              </h2>
              <ul className="space-y-1">
                {t.techniques.map((id) => {
                  const subs = shape.subs[id] ?? []
                  const c = cellCount(map, id, subs, selected)
                  return (
                    <li key={id}>
                      <Cell id={id} name={shape.names[id] ?? id} count={c.total} direct={c.direct} viaSub={c.viaSub} />
                      {subs.length > 0 && (
                        <details className="ml-2 text-xs">
                          <summary className="cursor-pointer text-slate-700">{subs.length} sub-techniques</summary>
                          <ul className="mt-1 space-y-1">
                            {subs.map((s) => {
                              const n = cellCount(map, s, [], selected).total
                              return (
                                <li key={s}>
                                  <Cell id={s} name={shape.names[s] ?? s} count={n} direct={n} viaSub={false} />
                                </li>
                              )
                            })}
                          </ul>
                        </details>
                      )}
                    </li>
                  )
                })}
              </ul>
            </section>
          ))}
        </div>
      </div>
    </div>
  )
}

function Cell({ id, name, count, direct, viaSub }: { id: string; name: string; count: number; direct: number; viaSub: boolean }) {
  return (
    <Link
      href={`/techniques/${id.toLowerCase()}/`}
      prefetch={false}
      data-testid={`cell-${id}`}
      data-count={count}
      data-direct={direct}
      title={`${id} ${name}: ${count} rule${count === 1 ? "" : "s"}${viaSub ? " (including sub-technique rules)" : ""}`}
      className={`block rounded border px-1.5 py-1 text-xs leading-tight hover:ring-2 hover:ring-sky-500 ${shadeClass(shadeLevel(count))}`}
    >
      <span className="font-mono">{id}</span> {name}
      <span className="float-right ml-1 font-semibold" data-testid="cell-count">{count}{viaSub ? "*" : ""}</span>
    </Link>
  )
}
