"use client"

import { useEffect, useRef, useState } from "react"
import Link from "next/link"
import { useRouter } from "next/navigation"

import { indicatorPath, rulePath } from "@/lib/catalog/paths"
import { facetsFromParams, indicatorsFirst, searchParams, type FacetKey, type FacetSelection } from "@/lib/search/query"
import { RuleLink } from "@/components/ui/rule-link"

import { SearchFacets } from "./search-facets"
import { SearchHitBody } from "./search-hit"
import { useSearchWorker } from "./use-search-worker"

const PAGE = 100

/** /search/: query and facets from and to the URL, results from the search worker. */
export function SearchPage() {
  const router = useRouter()
  const [state, setState] = useState<{ q: string; facets: FacetSelection }>()
  const [limit, setLimit] = useState(PAGE)
  // Facets sit beside the results from md up; on a phone they stood above them, a screen and a
  // half of checkboxes before the first result, so there they start folded behind "Filters".
  const [wide, setWide] = useState(true)
  useEffect(() => setWide(window.matchMedia("(min-width: 768px)").matches), [])

  // The box is in the page's HTML and takes text before the scripts run (a slow phone): what was
  // typed there wins over the address's `q` once, on the first read; the address's facets stay.
  const box = useRef<HTMLInputElement>(null)
  useEffect(() => {
    const read = (typed = "") => {
      const params = new URLSearchParams(window.location.search)
      setState({ q: typed || (params.get("q") ?? ""), facets: facetsFromParams(params) })
    }
    read(box.current?.value)
    const onPop = () => read()
    window.addEventListener("popstate", onPop)
    return () => window.removeEventListener("popstate", onPop)
  }, [])

  useEffect(() => {
    if (!state) return
    const qs = searchParams(state.q, state.facets).toString()
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname)
  }, [state])

  const q = state?.q ?? ""
  const facets = state?.facets ?? {}
  const { response, pending } = useSearchWorker(q, facets, limit, state !== undefined)
  const result = response?.ok ? response.result : undefined
  const selected = Object.values(facets).reduce((n, v) => n + (v?.length ?? 0), 0)

  const exactBox = result && result.indicators.length > 0 && (
    <div className="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-slate-900">This is an indicator value of the catalog:</p>
      <ul className="mt-1 grid gap-0.5">
        {result.indicators.map((i) => (
          <li key={`${i.field}:${i.kind}:${i.value}`}>
            <Link prefetch={false} href={indicatorPath(i)} className="font-mono text-sky-900 underline">
              {i.field} {i.kind} {i.value}
            </Link>{" "}
            ({i.rules === 1 ? "1 rule" : `${i.rules} rules`})
          </li>
        ))}
      </ul>
    </div>
  )

  function toggle(key: FacetKey, value: string) {
    const values = facets[key] ?? []
    const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value]
    setState({ q, facets: { ...facets, [key]: next } })
    setLimit(PAGE)
  }

  return (
    <div className="grid gap-6">
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          const exact = result?.indicators[0]
          if (exact) router.push(indicatorPath(exact))
        }}
      >
        <label htmlFor="search-q" className="text-sm font-medium text-slate-800">
          Search rules and indicators
        </label>
        <input
          id="search-q"
          ref={box}
          type="search"
          value={q}
          onChange={(e) => {
            // Before the address is read (the first instant after hydration) its facets still count.
            setState({
              q: e.target.value,
              facets: state ? facets : facetsFromParams(new URLSearchParams(window.location.search)),
            })
            setLimit(PAGE)
          }}
          placeholder="winrs, indicator:wmic.exe, technique:T1047, field:process_name, type:ttp, source:sysmon"
          className="mt-1 w-full rounded border border-slate-300 px-3 py-2 text-base outline-none focus:border-sky-700 focus:ring-2 focus:ring-sky-200"
        />
      </form>
      {response && !response.ok && (
        <p role="alert" className="text-sm text-red-800">
          {response.error}
        </p>
      )}
      <div className="grid gap-8 md:grid-cols-[14rem_1fr]">
        <aside aria-label="Facets">
          {result && (
            <details key={wide ? "wide" : "narrow"} open={wide} className="group">
              <summary className="cursor-pointer rounded border border-slate-300 px-3 py-1 text-sm md:hidden">
                Filters
                {selected > 0 ? ` (${selected} selected)` : ""}
              </summary>
              <div className="mt-3 md:mt-0">
                <SearchFacets facets={result.facets} selection={facets} onToggle={toggle} />
              </div>
            </details>
          )}
        </aside>
        <div className="min-w-0 break-anywhere">
          {result && indicatorsFirst(q) && exactBox}
          <p className="text-sm text-slate-700" aria-live="polite">
            {!result
              ? pending
                ? "Loading the search index…"
                : ""
              : `${result.total} ${result.total === 1 ? "rule" : "rules"}`}
          </p>
          {result?.corrected && (
            <p className="text-sm text-slate-700">
              Showing results for <span className="font-mono">{result.corrected}</span> (nothing matched the words as
              typed).
            </p>
          )}
          {result?.command && (
            <p className="text-sm text-slate-700">
              Read as a command line: rules hitting more of its terms come first.
            </p>
          )}
          {result && (
            <ol className="mt-3 grid gap-3" aria-label="Results">
              {result.hits.map((h) => (
                <li key={`${h.format}/${h.slug}`} className="rounded border border-slate-200 p-3 hover:border-sky-700">
                  <RuleLink href={rulePath(h)} className="block">
                    <SearchHitBody hit={h} />
                  </RuleLink>
                </li>
              ))}
            </ol>
          )}
          {result && !indicatorsFirst(q) && <div className="mt-4">{exactBox}</div>}
          {result && result.total > result.hits.length && (
            <button
              type="button"
              onClick={() => setLimit(limit + PAGE)}
              className="mt-4 rounded border border-slate-300 px-3 py-1 text-sm hover:border-sky-700"
            >
              Show {Math.min(PAGE, result.total - result.hits.length)} more
            </button>
          )}
        </div>
      </div>
    </div>
  )
}
