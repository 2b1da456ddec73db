import Link from "next/link"

import { shadeClass, ShadeLegend } from "./shades"

export interface HeatStripRow {
  shortname: string
  name: string
  covered: number
  levels: number[]
}

/** The matrix in small: one row of shaded squares per tactic, linking to the tactic page. */
export function HeatStrip({ rows }: { rows: HeatStripRow[] }) {
  return (
    <div>
      <ul className="space-y-1" data-testid="heat-strip">
        {rows.map((r) => (
          <li key={r.shortname}>
            <Link
              href={`/tactics/${r.shortname}/`}
              prefetch={false}
              className="grid grid-cols-[11rem_1fr] items-center sm:grid-cols-[14rem_1fr] gap-2 rounded px-1 py-0.5 text-sm hover:bg-slate-50"
            >
              <span className="truncate text-slate-800">
                {r.name}{" "}
                <span className="text-xs text-slate-600">
                  {r.covered}/{r.levels.length}
                </span>
              </span>
              <span className="flex flex-wrap gap-px" aria-hidden="true">
                {r.levels.map((l, i) => (
                  <span key={i} className={`size-2.5 rounded-[1px] border ${shadeClass(l)}`} />
                ))}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <ShadeLegend className="mt-3" />
    </div>
  )
}
