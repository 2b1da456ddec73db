import type { SearchHit } from "@/lib/search/run"

import { Badge } from "@/components/ui/badge"

import { Highlight } from "./highlight"

/** One result: the rule, its format and type, and each reason it matched with the snippet. */
export function SearchHitBody({ hit }: { hit: SearchHit }) {
  return (
    <>
      <span className="flex flex-wrap items-center gap-2">
        <span className="break-anywhere font-medium text-sky-900">{hit.name}</span>
        <Badge>{hit.format}</Badge>
        <Badge tone="violet">{hit.type}</Badge>
        {hit.techniques.slice(0, 3).map((t) => (
          <span key={t} className="font-mono text-xs text-slate-600">
            {t}
          </span>
        ))}
      </span>
      {hit.reasons.length > 0 && (
        <span className="break-anywhere mt-1 grid gap-0.5 text-sm text-slate-700">
          {hit.reasons.map((r) => (
            <span key={r.field} className="block">
              <span className="text-xs uppercase tracking-wide text-slate-600">{r.label}</span>
              {r.snippet.text && (
                <>
                  {" "}
                  <span className={r.field === "description" || r.field === "name" ? "" : "font-mono text-xs"}>
                    <Highlight snippet={r.snippet} />
                  </span>
                </>
              )}
            </span>
          ))}
        </span>
      )}
    </>
  )
}
