"use client"

import { useMemo, useState } from "react"

import type { RuleSummary } from "@/lib/catalog/views"
import { filterRules, facetValues, sortRules, type RuleFilter, type RuleSort } from "@/lib/catalog/filter"
import { Table, Td, Th } from "@/components/ui/table"
import { RuleLink } from "@/components/ui/rule-link"

import { useUrlState } from "./use-url-state"

const FACETS: Array<{ key: Exclude<keyof RuleFilter, "q">; label: string }> = [
  { key: "format", label: "Format" },
  { key: "type", label: "Type" },
  { key: "status", label: "Status" },
  { key: "domain", label: "Domain" },
]

/** The rule list with facet filters and sorting; the choice lives in the URL so it can be shared. */
export function RulesTable({ rules }: { rules: RuleSummary[] }) {
  const [state, setState] = useUrlState()
  const [limit, setLimit] = useState(200)
  const filter: RuleFilter = { format: state.format ?? "", type: state.type ?? "", status: state.status ?? "", domain: state.domain ?? "", q: state.q ?? "" }
  const sort = (state.sort as RuleSort | undefined) ?? "name"
  const shown = useMemo(() => sortRules(filterRules(rules, filter), sort), [rules, filter.format, filter.type, filter.status, filter.domain, filter.q, sort]) // eslint-disable-line react-hooks/exhaustive-deps
  const facets = useMemo(() => facetValues(rules), [rules])
  return (
    <div>
      <form className="flex flex-wrap items-end gap-3" role="search" aria-label="Filter rules" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col text-sm">
          <span className="text-slate-700">Name contains</span>
          <input
            type="search"
            value={filter.q}
            onChange={(e) => setState({ q: e.target.value })}
            className="rounded border border-slate-300 px-2 py-1"
          />
        </label>
        {FACETS.map((f) => (
          <div key={f.key} className="flex flex-col text-sm">
            <label htmlFor={`facet-${f.key}`} className="text-slate-700">{f.label}</label>
            <select id={`facet-${f.key}`} value={filter[f.key]} onChange={(e) => setState({ [f.key]: e.target.value })} className="rounded border border-slate-300 px-2 py-1">
              <option value="">all</option>
              {facets[f.key].map((v) => (
                <option key={v.key} value={v.key}>
                  {v.key} ({v.count})
                </option>
              ))}
            </select>
          </div>
        ))}
        <div className="flex flex-col text-sm">
          <label htmlFor="rules-sort" className="text-slate-700">Sort by</label>
          <select id="rules-sort" value={sort} onChange={(e) => setState({ sort: e.target.value })} className="rounded border border-slate-300 px-2 py-1">
            <option value="name">name</option>
            <option value="date">last change</option>
            <option value="type">type</option>
          </select>
        </div>
      </form>
      <p className="mt-3 text-sm text-slate-700" aria-live="polite" data-testid="rule-count">
        {shown.length} of {rules.length} rules
      </p>
      <Table className="mt-2">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Type</Th>
            <Th>Status</Th>
            <Th>Domain</Th>
            <Th>Techniques</Th>
            <Th>Changed</Th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(0, limit).map((r) => (
            <tr key={`${r.format}/${r.slug}`}>
              <Td>
                <RuleLink href={`/rules/${r.format}/${r.slug}/`} className="text-sky-700 underline underline-offset-2">{r.name}</RuleLink>
              </Td>
              <Td>{r.type}</Td>
              <Td>{r.status}</Td>
              <Td>{r.domain}</Td>
              <Td className="font-mono text-xs">{r.techniques.join(" ")}</Td>
              <Td className="whitespace-nowrap">{r.date}</Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {shown.length > limit && (
        <button type="button" onClick={() => setLimit(limit + 500)} className="mt-3 rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
          Show more ({shown.length - limit} left)
        </button>
      )}
    </div>
  )
}
