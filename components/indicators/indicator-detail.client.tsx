"use client"

import Link from "next/link"

import { findIndicator, type IndicatorData } from "@/lib/catalog/indicator-filter"
import { meaningLabel } from "@/lib/catalog/indicators"
import { RuleLink } from "@/components/ui/rule-link"

/** One indicator and every rule that tests it. */
export function IndicatorDetail({
  data,
  selected,
}: {
  data: IndicatorData
  selected: { field: string; kind: string; value: string }
}) {
  const row = findIndicator(data.rows, selected)
  const rules = (row?.rules ?? []).map((i) => data.rules[i]).filter((r) => r !== undefined)
  const shown = row ?? selected
  return (
    <section aria-labelledby="indicator-title">
      <p className="text-sm">
        <Link prefetch={false} href="/indicators/" className="text-sky-700 underline">
          All indicators
        </Link>
      </p>
      <h2 id="indicator-title" className="break-anywhere mt-2 text-xl font-semibold">
        {meaningLabel(shown.field)} {shown.kind} <code className="font-mono">{shown.value || "(any value)"}</code>
      </h2>
      {row ? (
        <>
          <p className="mt-1 text-sm text-slate-700">
            {rules.length} {rules.length === 1 ? "rule tests" : "rules test"} this indicator
            {row.fields && row.fields.length > 0 ? ` (as ${row.fields.join(", ")})` : ""}.
          </p>
          <ul aria-label="Rules with this indicator" className="mt-3 list-disc space-y-1 pl-6 text-sm">
            {rules.map((r) => (
              <li key={`${r.format}/${r.slug}`}>
                <RuleLink href={`/rules/${r.format}/${r.slug}/`} className="text-sky-700 underline">
                  {r.name}
                </RuleLink>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="mt-2 text-sm text-slate-700">No rule in this catalog tests this indicator.</p>
      )}
    </section>
  )
}
