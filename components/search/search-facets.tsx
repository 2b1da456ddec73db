import type { FacetCount } from "@/lib/search/run"
import type { FacetKey, FacetSelection } from "@/lib/search/query"

const LABEL: Record<FacetKey, string> = {
  format: "Format",
  type: "Type",
  status: "Status",
  tactic: "Tactic",
  source: "Data source",
  domain: "Domain",
}

/** Values listed per facet before the rest; selected values are always listed. */
const SHOWN = 8

/**
 * Facet checkboxes with counts; a change toggles one value of one facet. Checked state follows
 * `selection` (the URL) at once, counts follow the worker's latest answer.
 */
export function SearchFacets({
  facets,
  selection,
  onToggle,
}: {
  facets: Record<FacetKey, FacetCount[]>
  selection: FacetSelection
  onToggle: (key: FacetKey, value: string) => void
}) {
  return (
    <div className="grid gap-5">
      {(Object.keys(LABEL) as FacetKey[]).map((key) => {
        const chosen = selection[key] ?? []
        const list = facets[key]
        const shown = list.filter((f, i) => i < SHOWN || f.selected || chosen.includes(f.value))
        if (shown.length === 0) return null
        return (
          <fieldset key={key}>
            <legend className="mb-1 text-sm font-semibold text-slate-900">{LABEL[key]}</legend>
            <ul className="grid gap-0.5 text-sm">
              {shown.map((f) => (
                <li key={f.value}>
                  <label className="flex cursor-pointer items-baseline gap-2">
                    <input type="checkbox" checked={chosen.includes(f.value)} onChange={() => onToggle(key, f.value)} />
                    <span className="min-w-0 break-words text-slate-800">{f.value}</span>
                    <span className="ml-auto text-xs tabular-nums text-slate-600">{f.count}</span>
                  </label>
                </li>
              ))}
            </ul>
            {list.length > shown.length && (
              <p className="mt-1 text-xs text-slate-600">+{list.length - shown.length} more</p>
            )}
          </fieldset>
        )
      })}
    </div>
  )
}
