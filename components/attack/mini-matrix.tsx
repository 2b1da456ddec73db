import Link from "next/link"

import { shadeLevel } from "@/lib/attack/coverage"
import type { RuleSetCoverage } from "@/lib/catalog/coverage-view"
import { techniquePath, tacticPath } from "@/lib/catalog/technique-view"

import { shadeClass } from "./shades"

/**
 * The ATT&CK matrix restricted to a set of rules (a story's): one column per tactic that has a
 * covered technique, in matrix order; each cell shaded by the number of those rules.
 */
export function MiniMatrix({ columns }: { columns: RuleSetCoverage["columns"] }) {
  if (columns.length === 0) return <p className="text-sm text-slate-600">These rules map to no ATT&amp;CK technique.</p>
  return (
    // relative: the cells' screen-reader-only text is positioned, and would otherwise widen the page
    // past this scrolling box.
    <div className="relative overflow-x-auto" data-testid="mini-matrix">
      <ul className="flex min-w-max gap-2 text-xs">
        {columns.map((c) => (
          <li key={c.shortname} className="w-40">
            <h3 className="mb-1 font-semibold">
              <Link href={tacticPath(c.shortname)} prefetch={false} className="text-sky-800 hover:underline">
                {c.name}
              </Link>
            </h3>
            <ul className="space-y-1">
              {c.techniques.map((t) => (
                <li key={t.id}>
                  <Link
                    href={techniquePath(t.id)}
                    prefetch={false}
                    className={`block rounded border px-1.5 py-1 hover:ring-2 hover:ring-sky-500 ${shadeClass(shadeLevel(t.rules))}`}
                  >
                    <span className="font-mono">{t.id}</span> {t.name}
                    <span className="sr-only">, </span>
                    <span className="block font-semibold">
                      {t.rules} rule{t.rules === 1 ? "" : "s"}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  )
}
