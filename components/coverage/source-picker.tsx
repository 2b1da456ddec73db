import { useState } from "react"

import { groupSources, type RunnableSource } from "@/lib/catalog/runnable"

/** Checkbox list of data sources grouped by provider, with a filter box. */
export function SourcePicker({
  sources,
  selected,
  onToggle,
  onClear,
}: {
  sources: RunnableSource[]
  selected: ReadonlySet<number>
  onToggle: (i: number, on: boolean) => void
  onClear: () => void
}) {
  const [query, setQuery] = useState("")
  const groups = groupSources(sources, query)
  // The same count as the home page and /events/: data source files; names rules use without a
  // file are listed too (they can be ticked) but counted apart.
  const defined = sources.filter((s) => s.resolved).length
  const undefinedNames = sources.length - defined
  return (
    <fieldset className="min-w-0 rounded border border-slate-300 p-3" data-testid="source-picker">
      <legend className="px-1 text-sm font-semibold">
        Data sources you collect ({selected.size} selected of <span data-testid="picker-defined">{defined}</span> data
        sources
        {undefinedNames > 0 ? ` and ${undefinedNames} names no file defines` : ""})
      </legend>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-sm">
          <span className="text-slate-700">Filter data sources</span>
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            className="rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <button
          type="button"
          onClick={onClear}
          disabled={selected.size === 0}
          className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100 disabled:text-slate-500"
        >
          Clear selection
        </button>
      </div>
      <div className="mt-3 max-h-96 overflow-y-auto pr-2">
        {groups.length === 0 && <p className="text-sm text-slate-700">No data source matches the filter.</p>}
        {groups.map((g) => (
          <div key={g.provider} role="group" aria-label={g.provider} className="mb-2">
            <p className="text-xs font-semibold uppercase tracking-wide text-slate-700">{g.provider}</p>
            <ul className="text-sm">
              {g.sources.map((i) => {
                const s = sources[i]
                if (!s) return null
                return (
                  <li key={s.key}>
                    <label className="flex items-start gap-2 py-0.5">
                      <input
                        type="checkbox"
                        data-key={i}
                        className="mt-1"
                        checked={selected.has(i)}
                        onChange={(e) => onToggle(i, e.target.checked)}
                      />
                      <span className="break-anywhere">
                        {s.name}
                        {s.title && <span className="text-slate-600"> · {s.title}</span>}
                      </span>
                    </label>
                  </li>
                )
              })}
            </ul>
          </div>
        ))}
      </div>
    </fieldset>
  )
}
