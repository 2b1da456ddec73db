
import type { Detection } from "@/lib/catalog/types"
import { rulePath } from "@/lib/catalog/views"
import { RuleLink } from "@/components/ui/rule-link"

/** A plain list of rules linking to their pages, grouped by type when asked. */
export function RuleList({ rules, group = false }: { rules: Detection[]; group?: boolean }) {
  if (rules.length === 0) return <p className="text-sm text-slate-600">No rule in the catalog uses it.</p>
  const sorted = [...rules].sort((a, b) => a.name.localeCompare(b.name))
  const groups = group ? [...new Set(sorted.map((r) => r.type))].sort() : [""]
  return (
    <div className="space-y-4">
      {groups.map((g) => (
        <div key={g || "all"}>
          {g && <h3 className="mb-1 font-semibold">{g} ({sorted.filter((r) => r.type === g).length})</h3>}
          <ul className="break-anywhere list-disc space-y-1 pl-6 text-sm">
            {sorted
              .filter((r) => !g || r.type === g)
              .map((r) => (
                <li key={`${r.format}/${r.slug}`}>
                  <RuleLink href={rulePath(r)} className="text-sky-700 underline underline-offset-2">{r.name}</RuleLink>{" "}
                  <span className="text-slate-600">· {r.type} · {r.status}</span>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </div>
  )
}
