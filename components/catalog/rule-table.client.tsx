"use client"

import { useEffect, useId, useMemo, useRef, useState } from "react"

import {
  decodeRows,
  exportFileName,
  FACET_LABELS,
  facetCounts,
  filterRows,
  inScope,
  pageOf,
  paramsFromQuery,
  PURPOSE_LABELS,
  PURPOSES,
  queryFromParams,
  RULE_FACETS,
  RULE_SORTS,
  rowsToCsv,
  rowsToJson,
  SORT_LABELS,
  sortRows,
  type RuleFacet,
  type RuleListWire,
  type RuleQuery,
  type RuleRow,
  type RuleScope,
} from "@/lib/catalog/rule-list"
import { BASE_PATH, withBasePath } from "@/lib/site"

import { useUrlState } from "@/components/rules/use-url-state"
import { publishShownRules } from "@/components/catalog/shown-rules"
import { RuleLink } from "@/components/ui/rule-link"
import { saveFile } from "@/components/ui/save-file"

/** A facet with at most this many values is a row of buttons (one click); more get a list box. */
const MAX_CHIPS = 12

let shared: Promise<RuleRow[]> | undefined

/** Every rule's row, fetched once per page from /rule-list.json (written at build time). */
function loadAll(): Promise<RuleRow[]> {
  shared ??= fetch(withBasePath("/rule-list.json")).then(async (r) => {
    if (!r.ok) throw new Error(`could not load the rule list (HTTP ${r.status})`)
    return decodeRows((await r.json()) as RuleListWire)
  })
  shared.catch(() => (shared = undefined))
  return shared
}

function useRows(inline: RuleListWire | undefined, scope: RuleScope | undefined): { rows?: RuleRow[]; error?: string } {
  const fromProps = useMemo(() => (inline ? decodeRows(inline) : undefined), [inline])
  const [state, setState] = useState<{ rows?: RuleRow[]; error?: string }>({})
  const key = JSON.stringify(scope ?? {})
  useEffect(() => {
    if (fromProps) return
    let live = true
    loadAll().then(
      (all) => live && setState({ rows: scope ? all.filter((r) => inScope(r, scope)) : all }),
      (e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }),
    )
    return () => {
      live = false
    }
  }, [fromProps, key]) // eslint-disable-line react-hooks/exhaustive-deps
  return fromProps ? { rows: fromProps } : state
}

export interface RuleTableProps {
  /** How many rules the list holds (shown while the rows load). */
  total: number
  /** The rows themselves, for short lists; long lists fetch /rule-list.json and keep `scope`. */
  inline?: RuleListWire
  scope?: RuleScope
  /** Start of export file names, e.g. `technique-T1059`. */
  exportName: string
  /** Facets not worth offering on this page (the tactic page's own tactic, say). */
  hide?: RuleFacet[]
  /**
   * Format ids to the labels people read (`splunk` → `Splunk`), from the server: the format registry
   * holds the tester parts too, too heavy to ship for a label.
   */
  formatLabels: Record<string, string>
}

/**
 * The rule list of every list page: filters with counts, sort, pages of 50, CSV and JSON export of
 * the filtered rows; the reader's choice lives in the URL. The logic is lib/catalog/rule-list.ts.
 */
export function RuleTable({ total, inline, scope, exportName, hide = [], formatLabels }: RuleTableProps) {
  const formatLabel = (id: string) => formatLabels[id] ?? id
  const { rows, error } = useRows(inline, scope)
  const id = useId()
  const [params, setParams] = useUrlState()
  const query = queryFromParams(params)
  const set = (patch: Partial<RuleQuery>) => setParams(paramsFromQuery({ ...query, page: 1, ...patch }))
  // Text typed into the name filter before the page hydrated is in the box but not in the state, and
  // the first render from the address would wipe it: adopt it once, right after the address is read.
  const nameBox = useRef<HTMLInputElement>(null)
  useEffect(() => {
    const typed = nameBox.current?.value ?? ""
    // Only q (and the page) change: filters the address holds are read in the same batch and stay.
    if (typed !== "" && typed !== query.q) setParams({ q: typed, page: undefined })
  }, []) // eslint-disable-line react-hooks/exhaustive-deps
  const setFilter = (f: RuleFacet, v: string) => set({ filters: { ...query.filters, [f]: v || undefined } })
  const all = rows ?? []
  const stateKey = JSON.stringify(query)
  const shown = useMemo(() => sortRows(filterRows(all, query), query.sort), [all, stateKey]) // eslint-disable-line react-hooks/exhaustive-deps
  const counts = useMemo(() => facetCounts(all, query), [all, stateKey]) // eslint-disable-line react-hooks/exhaustive-deps
  // Each format's types mean different things (Splunk TTP, Sigma Detection, Elastic EQL): a type
  // is shown with the formats that use it, and the list of types is ordered by format.
  const typeFormats = useMemo(() => formatsByType(rows ?? []), [rows])
  const valueLabel = (f: RuleFacet, v: string) => {
    if (f === "format") return formatLabel(v)
    if (f === "type") return `${(typeFormats.get(v) ?? []).map(formatLabel).join(", ")}: ${v}`
    return facetValueLabel(f, v)
  }
  const ordered = (f: RuleFacet) => {
    if (f === "purpose") return [...counts[f]].sort((a, b) => purposeRank(a.value) - purposeRank(b.value))
    if (f !== "type") return counts[f]
    const first = (v: string) => formatRank((typeFormats.get(v) ?? [""])[0]!)
    return [...counts[f]].sort((a, b) => first(a.value) - first(b.value) || b.count - a.count)
  }
  const paged = pageOf(shown, query.page)
  // The page's other parts that follow the filters (the technique page's layer) read what is shown.
  const narrowed = rows !== undefined && (query.q.trim() !== "" || Object.values(query.filters).some(Boolean))
  useEffect(() => {
    publishShownRules(
      exportName,
      narrowed
        ? {
            paths: new Set(shown.map((r) => `/rules/${r.format}/${r.slug}/`)),
            description: [
              ...RULE_FACETS.flatMap((f) =>
                query.filters[f] ? [`${FACET_LABELS[f]}=${valueLabel(f, query.filters[f])}`] : [],
              ),
              ...(query.q.trim() ? [`name or technique "${query.q.trim()}"`] : []),
            ].join(", "),
            slug: exportFileName("", query, "csv").replace(/^_|\.csv$/g, ""),
          }
        : undefined,
    )
  }, [shown, narrowed, exportName]) // eslint-disable-line react-hooks/exhaustive-deps
  const facets = RULE_FACETS.filter((f) => !hide.includes(f) && (counts[f].length > 1 || query.filters[f]))
  // On a phone the facets fold behind "Filters": a technique's seven facets took one and a half
  // screens above its first rule. From the md breakpoint they are always shown.
  const [filtersOpen, setFiltersOpen] = useState(false)
  const folded = filtersOpen ? "" : "max-md:hidden"
  const active = Object.values(query.filters).filter(Boolean).length

  function download(kind: "csv" | "json") {
    const origin = `${window.location.origin}${BASE_PATH}`
    const name = exportFileName(exportName, query, kind)
    if (kind === "csv") saveFile(rowsToCsv(shown, origin), "text/csv;charset=utf-8", name)
    else saveFile(rowsToJson(shown, origin), "application/json", name)
  }

  if (error)
    return (
      <p role="alert" className="text-sm text-red-800">
        {error}
      </p>
    )
  return (
    <div data-testid="rule-table">
      <form
        id={`${id}-facets`}
        className="space-y-3"
        role="search"
        aria-label="Filter rules"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="flex flex-wrap items-end gap-3">
          <label className="flex flex-col text-sm">
            <span className="text-slate-700">Name or technique</span>
            <input
              ref={nameBox}
              type="search"
              value={query.q}
              onChange={(e) => set({ q: e.target.value })}
              className="rounded border border-slate-300 bg-white px-2 py-1"
            />
          </label>
          {facets.length > 0 && (
            <button
              type="button"
              aria-expanded={filtersOpen}
              aria-controls={`${id}-facets`}
              onClick={() => setFiltersOpen(!filtersOpen)}
              className="rounded border border-slate-300 bg-white px-3 py-1 text-sm text-slate-800 hover:border-sky-700 md:hidden"
            >
              Filters{active > 0 ? ` (${active} on)` : ""}
            </button>
          )}
          {facets
            .filter((f) => counts[f].length > MAX_CHIPS)
            .map((f) => (
              <div key={f} className={`flex min-w-0 flex-col text-sm ${folded}`}>
                <label htmlFor={`rules-${f}`} className="text-slate-700">
                  {FACET_LABELS[f]}
                </label>
                <select
                  id={`rules-${f}`}
                  value={query.filters[f] ?? ""}
                  onChange={(e) => setFilter(f, e.target.value)}
                  className="max-w-64 rounded border border-slate-300 bg-white px-2 py-1"
                >
                  <option value="">all</option>
                  {ordered(f).map((c) => (
                    <option key={c.value} value={c.value}>
                      {valueLabel(f, c.value)} ({c.count})
                    </option>
                  ))}
                </select>
              </div>
            ))}
          <div className="flex flex-col text-sm">
            <label htmlFor="rules-sort" className="text-slate-700">
              Sort by
            </label>
            <select
              id="rules-sort"
              value={query.sort}
              onChange={(e) => set({ sort: e.target.value as RuleQuery["sort"] })}
              className="rounded border border-slate-300 bg-white px-2 py-1"
            >
              {RULE_SORTS.map((s) => (
                <option key={s} value={s}>
                  {SORT_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
        </div>
        {facets
          .filter((f) => counts[f].length <= MAX_CHIPS)
          .map((f) => (
            <fieldset key={f} className={`flex flex-wrap items-center gap-1.5 text-sm ${folded}`}>
              <legend className="float-left mr-2 text-slate-700">{FACET_LABELS[f]}</legend>
              {ordered(f).map((c) => {
                const on = query.filters[f] === c.value
                return (
                  <button
                    key={c.value}
                    type="button"
                    aria-pressed={on}
                    onClick={() => setFilter(f, on ? "" : c.value)}
                    className={`rounded-full border px-2.5 py-0.5 whitespace-nowrap ${on ? "border-sky-800 bg-sky-700 text-white" : "border-slate-300 bg-white text-slate-800 hover:border-sky-700"}`}
                  >
                    {valueLabel(f, c.value)} <span className={on ? "" : "text-slate-600"}>({c.count})</span>
                  </button>
                )
              })}
            </fieldset>
          ))}
      </form>
      <div className="mt-3 flex flex-wrap items-center gap-3 text-sm">
        <p className="text-slate-700" aria-live="polite" data-testid="rule-count">
          {rows
            ? `${shown.length.toLocaleString("en")} of ${all.length.toLocaleString("en")} rules`
            : `Loading ${total.toLocaleString("en")} rules…`}
        </p>
        <span className="flex gap-2">
          <button
            type="button"
            disabled={!rows || shown.length === 0}
            onClick={() => download("csv")}
            className="rounded border border-slate-300 px-2 py-0.5 hover:border-sky-700 disabled:opacity-60"
          >
            Export CSV
          </button>
          <button
            type="button"
            disabled={!rows || shown.length === 0}
            onClick={() => download("json")}
            className="rounded border border-slate-300 px-2 py-0.5 hover:border-sky-700 disabled:opacity-60"
          >
            Export JSON
          </button>
        </span>
      </div>
      {rows && (
        <>
          <ul className="mt-3 divide-y divide-slate-200 border-y border-slate-200 md:hidden" data-testid="rule-cards">
            {paged.rows.map((r) => (
              <li key={`${r.format}/${r.slug}`} className="py-2 text-sm">
                <RuleLink
                  href={`/rules/${r.format}/${r.slug}/`}
                  className="break-anywhere font-medium text-sky-700 underline underline-offset-2"
                >
                  {r.name}
                </RuleLink>
                <p className="mt-0.5 text-slate-700">
                  {[formatLabel(r.format), r.type, r.level, r.status, r.date].filter(Boolean).join(" · ")}
                </p>
                {r.techniques.length > 0 && <Techniques ids={r.techniques} />}
              </li>
            ))}
          </ul>
          <div className="mt-3 hidden md:block">
            <table data-slot="table" data-testid="rule-rows">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Format</th>
                  <th scope="col">Type</th>
                  <th scope="col">Level</th>
                  <th scope="col">Status</th>
                  <th scope="col">Techniques</th>
                  <th scope="col">Changed</th>
                </tr>
              </thead>
              <tbody>
                {paged.rows.map((r) => (
                  <tr key={`${r.format}/${r.slug}`}>
                    <td className="min-w-64">
                      <RuleLink
                        href={`/rules/${r.format}/${r.slug}/`}
                        className="text-sky-700 underline underline-offset-2"
                      >
                        {r.name}
                      </RuleLink>
                    </td>
                    <td className="whitespace-nowrap [overflow-wrap:normal]">{formatLabel(r.format)}</td>
                    <td className="whitespace-nowrap [overflow-wrap:normal]">{r.type}</td>
                    <td className="whitespace-nowrap [overflow-wrap:normal]">{r.level}</td>
                    <td className="whitespace-nowrap [overflow-wrap:normal]">{r.status}</td>
                    <td>
                      <Techniques ids={r.techniques} />
                    </td>
                    <td className="whitespace-nowrap [overflow-wrap:normal]">{r.date}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {paged.pages > 1 && (
            <nav aria-label="Pages of the rule list" className="mt-3 flex items-center gap-3 text-sm">
              <button
                type="button"
                disabled={paged.page <= 1}
                onClick={() => set({ page: paged.page - 1 })}
                className="rounded border border-slate-300 px-3 py-1 hover:border-sky-700 disabled:opacity-60"
              >
                Previous
              </button>
              <span data-testid="rule-page">
                Page {paged.page} of {paged.pages}
              </span>
              <button
                type="button"
                disabled={paged.page >= paged.pages}
                onClick={() => set({ page: paged.page + 1 })}
                className="rounded border border-slate-300 px-3 py-1 hover:border-sky-700 disabled:opacity-60"
              >
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </div>
  )
}

/** Words for a shortname: `defense-evasion` → `Defense Evasion`, `command-and-control` → `Command and Control`. */
function tacticLabel(shortname: string): string {
  return shortname
    .split("-")
    .map((w, i) => (i > 0 && (w === "and" || w === "of") ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(" ")
}

/** A facet value as people read it (ATT&CK tactic names, not shortnames); the address keeps the value. */
function facetValueLabel(facet: RuleFacet, value: string): string {
  if (facet === "purpose") return PURPOSE_LABELS[value as keyof typeof PURPOSE_LABELS] ?? value
  return facet === "tactic" ? tacticLabel(value) : value
}

function purposeRank(value: string): number {
  const i = (PURPOSES as readonly string[]).indexOf(value)
  return i < 0 ? PURPOSES.length : i
}

/** Each type value with the formats whose rules carry it, in a fixed format order. */
function formatsByType(rows: readonly RuleRow[]): Map<string, string[]> {
  const sets = new Map<string, Set<string>>()
  for (const r of rows) {
    let s = sets.get(r.type)
    if (!s) sets.set(r.type, (s = new Set()))
    s.add(r.format)
  }
  return new Map(
    [...sets].map(([t, s]) => [t, [...s].sort((a, b) => formatRank(a) - formatRank(b) || a.localeCompare(b))]),
  )
}

const FORMAT_ORDER = ["splunk", "sigma", "elastic"]

function formatRank(format: string): number {
  const i = FORMAT_ORDER.indexOf(format)
  return i < 0 ? FORMAT_ORDER.length : i
}

/**
 * Technique links as plain anchors: Next's client router asks for `t1059.001.txt` on a segment
 * holding a dot, which the static export does not have; a plain load always works.
 */
function Techniques({ ids }: { ids: string[] }) {
  return (
    <span className="flex flex-wrap gap-x-2 font-mono text-xs">
      {ids.map((id) => (
        <a
          key={id}
          href={withBasePath(`/techniques/${id.toLowerCase()}/`)}
          className="whitespace-nowrap text-sky-700 underline underline-offset-2"
        >
          {id}
        </a>
      ))}
    </span>
  )
}
