"use client"

import { useEffect, useId, useRef, useState } from "react"
import { useRouter } from "next/navigation"

import { indicatorPath } from "@/lib/catalog/indicators"
import { isRulePagePath, rulePath } from "@/lib/catalog/views"
import { withBasePath } from "@/lib/site"

import { SearchHitBody } from "./search-hit"
import { useSearchWorker } from "./use-search-worker"

/** Results shown in the palette; the rest are one Enter away on /search/. */
const PALETTE_LIMIT = 8
const NO_FACETS = {}

interface Option {
  key: string
  href: string
  body: React.ReactNode
}

/** The command palette: a modal search box, results as you type, arrows to move, Enter to open. */
export function SearchPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null)
  const router = useRouter()
  const listId = useId()
  const [query, setQuery] = useState("")
  const [active, setActive] = useState(0)
  const { response, pending } = useSearchWorker(query, NO_FACETS, PALETTE_LIMIT, open && query.trim() !== "")

  useEffect(() => {
    const d = dialog.current
    if (open && d && !d.open) d.showModal()
    if (!open && d?.open) d.close()
  }, [open])

  const result = query.trim() && response?.ok ? response.result : undefined
  const options: Option[] = result
    ? [
        ...result.indicators.map((i) => ({
          key: `i:${i.field}:${i.kind}:${i.value}`,
          href: indicatorPath(i),
          body: (
            <span>
              <span className="text-xs uppercase tracking-wide text-slate-600">indicator page</span>{" "}
              <span className="font-mono text-sm">
                {i.field} {i.kind} {i.value}
              </span>{" "}
              <span className="text-sm text-slate-600">({i.rules === 1 ? "1 rule" : `${i.rules} rules`})</span>
            </span>
          ),
        })),
        ...result.hits.map((h) => ({ key: `r:${h.format}/${h.slug}`, href: rulePath(h), body: <SearchHitBody hit={h} /> })),
        {
          key: "all",
          href: `/search/?${new URLSearchParams({ q: query }).toString()}`,
          body: <span className="text-sm text-sky-900">All {result.total} results on the search page</span>,
        },
      ]
    : []
  const current = Math.min(active, Math.max(0, options.length - 1))

  function go(o: Option | undefined) {
    if (!o) return
    onClose()
    // Rule pages are plain HTML outside the client router (see components/ui/rule-link.tsx).
    if (isRulePagePath(o.href)) window.location.assign(withBasePath(o.href))
    else router.push(o.href)
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault()
      const step = e.key === "ArrowDown" ? 1 : -1
      setActive((current + step + options.length) % Math.max(1, options.length))
    } else if (e.key === "Enter") {
      e.preventDefault()
      go(options[current])
    } else if (e.key === "Escape") {
      // One Escape closes, keeping the query for the next open.
      e.preventDefault()
      onClose()
    }
  }

  const optionId = (i: number) => `${listId}-o${i}`
  return (
    <dialog
      ref={dialog}
      aria-label="Search"
      onClose={onClose}
      className="mx-auto mt-[10vh] w-[min(44rem,calc(100vw-2rem))] rounded-lg border border-slate-300 bg-white p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="border-b border-slate-200 p-3">
        <input
          autoFocus
          type="text"
          role="combobox"
          aria-label="Search rules and indicators"
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-activedescendant={options.length > 0 ? optionId(current) : undefined}
          aria-autocomplete="list"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
          onKeyDown={onKeyDown}
          placeholder="winrs, indicator:wmic.exe, technique:T1047, tactic:lateral-movement…"
          className="w-full rounded border border-slate-300 px-3 py-2 text-base outline-none focus:border-sky-700 focus:ring-2 focus:ring-sky-200"
        />
      </div>
      <ul id={listId} role="listbox" aria-label="Results" className="max-h-[60vh] overflow-y-auto">
        {options.map((o, i) => (
          <li
            key={o.key}
            id={optionId(i)}
            role="option"
            aria-selected={i === current}
            onClick={() => go(o)}
            onMouseMove={() => setActive(i)}
            className={`block cursor-pointer border-b border-slate-100 px-4 py-2 ${i === current ? "bg-sky-50" : ""}`}
          >
            {o.body}
          </li>
        ))}
      </ul>
      <p className="px-4 py-2 text-xs text-slate-600" aria-live="polite">
        {!query.trim()
          ? "Type to search names, indicators, techniques, tactics, data sources. ↑ ↓ to move, Enter to open, Esc to close."
          : response && !response.ok
            ? response.error
            : pending && !result
              ? "Loading the search index…"
              : result && result.total === 0
                ? "No rule matches."
                : `${result?.total ?? 0} rules match.`}
      </p>
    </dialog>
  )
}
