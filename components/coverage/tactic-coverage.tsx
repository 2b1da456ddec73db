import Link from "next/link"

import { shadeLevel } from "@/lib/attack/coverage"
import type { RunnableData } from "@/lib/catalog/coverage-view"

import { shadeClass } from "@/components/attack/shades"

/** A compact matrix: per tactic, the techniques the runnable rules cover, shaded by rule count. */
export function TacticCoverage({
  tactics,
  techniques,
  map,
}: Pick<RunnableData, "tactics" | "techniques"> & { map: Record<string, number[]> }) {
  const ids = Object.keys(map).sort()
  return (
    // A scrolling region keyboard users can reach (tabIndex) even before it holds any link.
    <div
      className="relative overflow-x-auto pb-2"
      data-testid="coverage-matrix"
      role="region"
      aria-label="Technique coverage by tactic"
      tabIndex={0}
    >
      <div className="flex gap-2" style={{ minWidth: `${tactics.length * 9}rem` }}>
        {tactics.map((t) => {
          const here = ids.filter((id) => techniques[id]?.tactics.includes(t.shortname))
          return (
            <section key={t.shortname} aria-labelledby={`cov-${t.shortname}`} className="w-36 shrink-0">
              <h3 id={`cov-${t.shortname}`} className="mb-1 text-sm font-semibold leading-tight">
                {t.name} <span className="block text-xs font-normal text-slate-600">{here.length} covered</span>
              </h3>
              <ul className="space-y-1">
                {here.map((id) => {
                  const n = map[id]?.length ?? 0
                  return (
                    <li key={id}>
                      <Link
                        href={`/techniques/${id.toLowerCase()}/`}
                        prefetch={false}
                        title={`${id} ${techniques[id]?.name ?? ""}: ${n} rule${n === 1 ? "" : "s"}`}
                        className={`block rounded border px-1.5 py-1 text-xs leading-tight ${shadeClass(shadeLevel(n))}`}
                      >
                        <span className="font-mono">{id}</span> {techniques[id]?.name}{" "}
                        <span className="float-right font-semibold">{n}</span>
                      </Link>
                    </li>
                  )
                })}
              </ul>
            </section>
          )
        })}
      </div>
    </div>
  )
}
