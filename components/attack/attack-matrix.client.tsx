"use client"

import Link from "next/link"
import { useEffect, useMemo, useRef, useState } from "react"

import {
  cellCount,
  FACET_KEYS,
  selectRows,
  shadeLevel,
  type CoverageFilter,
  type FacetKey,
} from "@/lib/attack/coverage"
import { buildNavigatorLayer, layerFileName, type LayerRule } from "@/lib/attack/navigator"
import type { MatrixData } from "@/lib/catalog/technique-view"
import { withBasePath } from "@/lib/site"

import { useChangedBeforeHydration, useUrlState } from "@/components/rules/use-url-state"

import { downloadLayer } from "./download"
import { shadeClass, ShadeLegend } from "./shades"

const LABELS: Record<FacetKey, string> = {
  format: "Format",
  type: "Type in its format",
  status: "Status",
  domain: "Security domain",
  dataSource: "Data source",
}

/** URL query keys of the facets. */
const PARAM: Record<FacetKey, string> = {
  format: "format",
  type: "type",
  status: "status",
  domain: "domain",
  dataSource: "ds",
}

export type AttackMatrixProps = Omit<MatrixData, "flagged"> & {
  /** Format ids to the labels people read, from the server (the format registry is too heavy to ship for a label). */
  formatLabels?: Record<string, string>
}

/**
 * A facet value as an option reads. Each format's types mean different things (Splunk TTP, Sigma
 * Detection, Elastic EQL), so a type is named with the formats that use it, and types are listed
 * format by format.
 */
function useOptionLabels(facets: AttackMatrixProps["facets"], labels: Record<string, string>) {
  return useMemo(() => {
    const formatsOf = new Map<number, Set<number>>()
    for (const row of facets.rows) {
      const [f, t] = row
      if (f === undefined || t === undefined || t < 0) continue
      let set = formatsOf.get(t)
      if (!set) formatsOf.set(t, (set = new Set()))
      set.add(f)
    }
    const order = ["splunk", "sigma", "elastic"]
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
    const formats = (t: number) =>
      [...(formatsOf.get(t) ?? [])].map((i) => facets.values.format[i] ?? "").sort((a, b) => rank(a) - rank(b))
    const typeLabel = new Map(
      facets.values.type.map((v, i) => [
        v,
        `${formats(i)
          .map((id) => labels[id] ?? id)
          .join(", ")}: ${v}`,
      ]),
    )
    const typeOrder = facets.values.type
      .map((v, i) => ({ v, r: rank(formats(i)[0] ?? "") }))
      .sort((a, b) => a.r - b.r || a.v.localeCompare(b.v, "en"))
      .map((x) => x.v)
    return {
      values: (k: FacetKey) => (k === "type" ? typeOrder : facets.values[k]),
      label: (k: FacetKey, v: string) =>
        k === "type" ? (typeLabel.get(v) ?? v) : k === "format" ? (labels[v] ?? v) : v,
    }
  }, [facets, labels])
}

/** The ATT&CK matrix heat map with facet filters held in the URL and a Navigator layer export. */
export function AttackMatrix({ attackVersion, shape, map, facets, formatLabels = {} }: AttackMatrixProps) {
  const options = useOptionLabels(facets, formatLabels)
  const [state, setState] = useUrlState()
  // Filters chosen before the page hydrated are adopted once the address is read (the address's
  // others stay); the phone's tactic list likewise.
  const before = useChangedBeforeHydration('select[id^="matrix-"]')
  useEffect(() => {
    const patch: Record<string, string> = {}
    for (const c of before) {
      const k = FACET_KEYS.find((f) => c.id === `matrix-${f}`)
      if (k) patch[PARAM[k]] = c.value
      else if (c.id === "matrix-tactic") patch.tactic = c.value
    }
    if (Object.keys(patch).length > 0) setState(patch)
  }, []) // eslint-disable-line react-hooks/exhaustive-deps
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const filter: CoverageFilter = Object.fromEntries(FACET_KEYS.map((k) => [k, state[PARAM[k]] ?? ""]))
  const key = FACET_KEYS.map((k) => filter[k]).join("\u0000")
  const filtered = FACET_KEYS.some((k) => filter[k])
  const selected = useMemo(() => (filtered ? selectRows(facets, filter) : undefined), [facets, key]) // eslint-disable-line react-hooks/exhaustive-deps
  const covered = useMemo(
    () =>
      Object.keys(map)
        .filter((id) => shape.names[id] !== undefined && (map[id] ?? []).some((i) => !selected || selected.has(i)))
        .sort(),
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
        techniques[id] = (map[id] ?? [])
          .filter((i) => !selected || selected.has(i))
          .map((i) => ({ name: list[i]?.[0] ?? `rule ${i}`, url: list[i]?.[1] ?? "/" }))
      }
      const desc = FACET_KEYS.filter((k) => filter[k])
        .map((k) => `${LABELS[k]}=${filter[k]}`)
        .join(", ")
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
    <div data-wide>
      <form
        className="flex flex-wrap items-end gap-3"
        role="search"
        aria-label="Filter rules of the matrix"
        onSubmit={(e) => e.preventDefault()}
      >
        {FACET_KEYS.map((k) => (
          <div key={k} className="flex flex-col text-sm">
            <label htmlFor={`matrix-${k}`} className="text-slate-700">
              {LABELS[k]}
            </label>
            <select
              id={`matrix-${k}`}
              value={filter[k]}
              onChange={(e) => setState({ [PARAM[k]]: e.target.value })}
              className="max-w-56 rounded border border-slate-300 px-2 py-1"
            >
              <option value="">all</option>
              {options.values(k).map((v) => (
                <option key={v} value={v}>
                  {options.label(k, v)}
                </option>
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
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <p className="mt-3 text-sm text-slate-700" aria-live="polite" data-testid="matrix-summary">
        {ruleCount.toLocaleString("en")} rules · {covered.length.toLocaleString("en")} techniques covered
      </p>
      <ShadeLegend className="mt-2" />
      <MatrixGrid
        shape={shape}
        map={map}
        selected={selected}
        tactic={state.tactic}
        onTactic={(t) => setState({ tactic: t })}
      />
    </div>
  )
}

type Shape = AttackMatrixProps["shape"]
interface Detail {
  id: string
  name: string
  count: number
  direct: number
  viaSub: boolean
  left: number
  top: number
}

/**
 * The tactics side by side from 1024 px, all fourteen on screen: compact cells (id, count, the name
 * cut short) with the full detail in one box shown beside the cell under the pointer or keyboard
 * focus. Narrower screens show one tactic at a time, chosen in a list kept in the URL (`tactic`),
 * with names in full.
 */
function MatrixGrid({
  shape,
  map,
  selected,
  tactic,
  onTactic,
}: {
  shape: Shape
  map: AttackMatrixProps["map"]
  selected: ReadonlySet<number> | undefined
  tactic: string | undefined
  onTactic: (t: string) => void
}) {
  const [detail, setDetail] = useState<Detail>()
  const box = useRef<HTMLDivElement>(null)
  const current = shape.tactics.some((t) => t.shortname === tactic) ? tactic : shape.tactics[0]?.shortname
  const covered = (ids: readonly string[]) =>
    ids.filter((id) => cellCount(map, id, shape.subs[id] ?? [], selected).total > 0).length

  function show(e: React.SyntheticEvent) {
    const cell = e.target instanceof Element ? e.target.closest<HTMLElement>("[data-cell]") : null
    const frame = box.current
    if (!cell || !frame || !window.matchMedia("(min-width: 1024px)").matches) return setDetail(undefined)
    const id = cell.dataset.cell ?? ""
    const c = cellCount(map, id, cell.dataset.sub ? [] : (shape.subs[id] ?? []), selected)
    const f = frame.getBoundingClientRect()
    const r = cell.getBoundingClientRect()
    // Beside the cell, kept inside the matrix so it never widens the page.
    const width = 256
    const left = Math.max(0, Math.min(r.left - f.left, f.width - width))
    setDetail({
      id,
      name: shape.names[id] ?? id,
      count: c.total,
      direct: c.direct,
      viaSub: c.viaSub,
      left,
      top: r.bottom - f.top + 4,
    })
  }

  return (
    <div className="mt-4">
      <div className="lg:hidden">
        <label htmlFor="matrix-tactic" className="block text-sm text-slate-700">
          Tactic
        </label>
        <select
          id="matrix-tactic"
          value={current}
          onChange={(e) => onTactic(e.target.value)}
          className="mt-1 w-full rounded border border-slate-300 bg-white px-2 py-1.5"
        >
          {shape.tactics.map((t) => (
            <option key={t.shortname} value={t.shortname}>
              {t.name}: {covered(t.techniques)} of {t.techniques.length} covered
            </option>
          ))}
        </select>
      </div>
      <div
        ref={box}
        className="relative mt-3 pb-4 lg:grid lg:grid-cols-14 lg:gap-1"
        data-testid="attack-matrix"
        onMouseOver={show}
        onFocus={show}
        onMouseLeave={() => setDetail(undefined)}
        onBlur={() => setDetail(undefined)}
      >
        {shape.tactics.map((t) => (
          <section
            key={t.shortname}
            aria-labelledby={`tactic-${t.shortname}`}
            data-testid="matrix-tactic"
            className={`min-w-0 ${t.shortname === current ? "" : "hidden lg:block"}`}
          >
            <h2
              id={`tactic-${t.shortname}`}
              className="mb-2 text-base font-semibold leading-tight lg:min-h-10 lg:text-[11px] lg:tracking-tight"
            >
              <Link href={`/tactics/${t.shortname}/`} prefetch={false} className="text-slate-900 hover:underline">
                {t.name}
              </Link>
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
                      <details className="ml-2 text-xs lg:ml-1">
                        <summary className="cursor-pointer text-slate-700">
                          {subs.length} <span className="lg:hidden">sub-techniques</span>
                          <span className="hidden lg:inline">subs</span>
                        </summary>
                        <ul className="mt-1 space-y-1">
                          {subs.map((s) => {
                            const n = cellCount(map, s, [], selected).total
                            return (
                              <li key={s}>
                                <Cell id={s} name={shape.names[s] ?? s} count={n} direct={n} viaSub={false} sub />
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
        {detail && (
          <div
            aria-hidden="true"
            data-testid="cell-detail"
            className="pointer-events-none absolute z-20 hidden w-64 rounded border border-slate-300 bg-white p-2 text-sm text-slate-900 shadow-lg lg:block"
            style={{ left: detail.left, top: detail.top }}
          >
            <span className="font-mono">{detail.id}</span> {detail.name}
            <span className="mt-1 block font-semibold">
              {detail.count} rule{detail.count === 1 ? "" : "s"}
            </span>
            {detail.viaSub && (
              <span className="block text-xs text-slate-700">
                {detail.direct} map it directly; the rest map its sub-techniques
              </span>
            )}
          </div>
        )}
      </div>
    </div>
  )
}

/** One technique: id and count on the first line (the count wraps under the id rather than being cut), the name below. */
function Cell({
  id,
  name,
  count,
  direct,
  viaSub,
  sub,
}: {
  id: string
  name: string
  count: number
  direct: number
  viaSub: boolean
  sub?: boolean
}) {
  return (
    <Link
      href={`/techniques/${id.toLowerCase()}/`}
      prefetch={false}
      data-testid={`cell-${id}`}
      data-cell={id}
      data-sub={sub ? "" : undefined}
      data-count={count}
      data-direct={direct}
      className={`block rounded border px-1.5 py-1 text-xs leading-tight hover:ring-2 hover:ring-sky-500 lg:px-1 ${shadeClass(shadeLevel(count))}`}
    >
      <span className="flex flex-wrap items-baseline justify-between gap-x-1">
        <span className="font-mono">{id}</span>
        <span className="font-semibold tabular-nums" data-testid="cell-count">
          {count}
          {viaSub ? "*" : ""}
        </span>
      </span>
      <span className="block lg:truncate">{name}</span>
    </Link>
  )
}
