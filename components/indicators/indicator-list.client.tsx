"use client"

import Link from "next/link"
import { useEffect, useMemo, useState } from "react"

import {
  filterIndicators,
  indicatorFacet,
  INDICATOR_SORTS,
  sortIndicators,
  type IndicatorData,
  type IndicatorSort,
} from "@/lib/catalog/indicator-filter"
import { indicatorPath, meaningLabel } from "@/lib/catalog/indicators"
import { formatLabel } from "@/lib/formats/testers"
import { Table, Td, Th } from "@/components/ui/table"

import { groupIndicators, type IndicatorGroup } from "./indicator-groups"

const PAGE = 200
const SORT_LABEL: Record<IndicatorSort, string> = { count: "rule count", field: "field", value: "value" }

/** Replace the list's query parameters in place. */
function writeQuery(patch: Record<string, string>) {
  const params = new URLSearchParams(window.location.search)
  for (const [k, v] of Object.entries(patch))
    if (v) params.set(k, v)
    else params.delete(k)
  const qs = params.toString()
  window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname)
}

interface Filters {
  field: string
  kind: string
  q: string
  sort: string
}

type Props = { data: IndicatorData; field: string; kind: string; q: string; sort?: string }

/** `Sigma 60, Splunk 28`: how many of the rules each format has. */
function byFormat(data: IndicatorData, rules: number[]): string {
  const counts = new Map<string, number>()
  for (const i of rules) {
    const f = data.rules[i]?.format
    if (f) counts.set(f, (counts.get(f) ?? 0) + 1)
  }
  return [...counts].map(([f, n]) => `${formatLabel(f)} ${n}`).join(", ")
}

/** Every indicator, filterable by field, kind and value, sortable by how many rules share it. */
export function IndicatorList({ data, ...fromAddress }: Props) {
  // The filters live here and are copied to the address. They used to be read back from it
  // (useSearchParams), which Next updates in a transition after replaceState: a controlled box
  // then showed the old value between keys, and keys typed at speed were lost (`wmic.exe` → `wxe`).
  const [filters, setFilters] = useState<Filters>(() => ({ ...fromAddress, sort: fromAddress.sort ?? "" }))
  const { field, kind, q } = filters
  const setQuery = (patch: Partial<Filters>) => {
    setFilters((prev) => ({ ...prev, ...patch }))
    writeQuery(patch as Record<string, string>)
  }
  // Back and forward change the address without this list: read it again then.
  useEffect(() => {
    const onPop = () => {
      const p = new URLSearchParams(window.location.search)
      setFilters({
        field: p.get("field") ?? "",
        kind: p.get("kind") ?? "",
        q: p.get("q") ?? "",
        sort: p.get("sort") ?? "",
      })
    }
    window.addEventListener("popstate", onPop)
    return () => window.removeEventListener("popstate", onPop)
  }, [])
  const sort: IndicatorSort = INDICATOR_SORTS.includes(filters.sort as IndicatorSort)
    ? (filters.sort as IndicatorSort)
    : "count"
  const [limit, setLimit] = useState(PAGE)
  // One row per meaning, kind and value: spellings that differ only by surrounding spaces join.
  const groups = useMemo(() => groupIndicators(data.rows), [data])
  const fields = useMemo(() => indicatorFacet(groups, "field"), [groups])
  const kinds = useMemo(() => indicatorFacet(groups, "kind"), [groups])
  const shown = useMemo(
    () => sortIndicators(filterIndicators(groups, { field, kind, q }), sort) as IndicatorGroup[],
    [groups, field, kind, q, sort],
  )
  // max-w-full: a select is as wide as its longest option (field names run to 60 characters).
  const select = "max-w-full rounded border border-slate-300 px-2 py-1"
  return (
    <div>
      <form
        className="flex flex-wrap items-end gap-3"
        role="search"
        aria-label="Filter indicators"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="flex min-w-0 max-w-full flex-col text-sm">
          <span className="text-slate-700">Field</span>
          <select value={field} onChange={(e) => setQuery({ field: e.target.value })} className={select}>
            <option value="">all fields</option>
            {fields.map((f) => (
              <option key={f.key} value={f.key}>
                {meaningLabel(f.key)} ({f.count})
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 max-w-full flex-col text-sm">
          <span className="text-slate-700">Kind</span>
          <select value={kind} onChange={(e) => setQuery({ kind: e.target.value })} className={select}>
            <option value="">all kinds</option>
            {kinds.map((k) => (
              <option key={k.key} value={k.key}>
                {k.key} ({k.count})
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-0 max-w-full flex-col text-sm">
          <span className="text-slate-700">Value contains</span>
          <input type="search" value={q} onChange={(e) => setQuery({ q: e.target.value })} className={select} />
        </label>
        <label className="flex min-w-0 max-w-full flex-col text-sm">
          <span className="text-slate-700">Sort by</span>
          <select
            value={sort}
            onChange={(e) => setQuery({ sort: e.target.value === "count" ? "" : e.target.value })}
            className={select}
          >
            {INDICATOR_SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
      </form>
      <p className="mt-3 text-sm text-slate-700" aria-live="polite">
        {shown.length.toLocaleString("en")} of {groups.length.toLocaleString("en")} indicators
      </p>
      <Table className="mt-2" data-testid="indicator-list">
        <thead>
          <tr>
            <Th className="hidden sm:table-cell">Field</Th>
            <Th className="hidden sm:table-cell">Kind</Th>
            <Th>Value</Th>
            <Th className="text-right">Rules</Th>
            <Th className="hidden sm:table-cell">By format</Th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(0, limit).map((r) => (
            <tr key={`${r.field}|${r.kind}|${r.value}`} data-testid="indicator-row">
              <Td className="hidden sm:table-cell">
                {meaningLabel(r.field)}
                <RawFields row={r} />
              </Td>
              <Td className="hidden sm:table-cell">{r.kind}</Td>
              <Td className="font-mono">
                <Link prefetch={false} href={indicatorPath(r)} className="text-sky-700 underline underline-offset-2">
                  {r.value === "" ? "(any value)" : r.value}
                </Link>
                {r.variants.length > 0 && <Variants group={r} />}
                {/* On a phone the value takes the row's width; what the hidden columns say follows it. */}
                <span className="mt-1 block font-sans text-xs text-slate-600 sm:hidden">
                  {meaningLabel(r.field)}
                  <RawFields row={r} /> · {r.kind} · {byFormat(data, r.rules)}
                </span>
              </Td>
              <Td className="text-right tabular-nums">{r.rules.length}</Td>
              <Td className="hidden text-xs sm:table-cell">{byFormat(data, r.rules)}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {shown.length > limit && (
        <button
          type="button"
          onClick={() => setLimit(limit + PAGE)}
          className="mt-3 rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50"
        >
          Show {Math.min(PAGE, shown.length - limit)} more
        </button>
      )}
    </div>
  )
}

/** The raw fields rules test a meaning on (`process, CommandLine, process.command_line`), when not the meaning itself. */
function RawFields({ row }: { row: IndicatorGroup }) {
  if (!row.fields.some((f) => f !== row.field)) return null
  return <span className="font-mono text-xs text-slate-600"> ({row.fields.join(", ")})</span>
}

/** The spellings rules write, when they differ by spaces: `" /node:"` 1, `"/node:"` 2. */
export function Variants({ group }: { group: IndicatorGroup }) {
  return (
    <span className="mt-1 block font-sans text-xs text-slate-600" data-testid="indicator-variants">
      written as{" "}
      {group.variants.map((v, i) => (
        <span key={v.value}>
          {i > 0 ? ", " : ""}
          <code className="font-mono whitespace-pre">&ldquo;{v.value}&rdquo;</code> ({v.rules})
        </span>
      ))}
    </span>
  )
}
