"use client"

import Link from "next/link"
import { useEffect, useMemo } from "react"

import type { IndicatorData } from "@/lib/catalog/indicator-filter"
import { meaningLabel } from "@/lib/catalog/indicators"
import { formatLabel } from "@/lib/formats/testers"
import { RuleLink } from "@/components/ui/rule-link"

import { findGroup, groupIndicators } from "./indicator-groups"
import { Variants } from "./indicator-list.client"

/** One indicator and every rule that tests it, however many spellings (padded with spaces) it has. */
export function IndicatorDetail({
  data,
  selected,
}: {
  data: IndicatorData
  selected: { field: string; kind: string; value: string }
}) {
  const groups = useMemo(() => groupIndicators(data.rows), [data])
  const row = findGroup(groups, data.rows, selected)
  const rules = (row?.rules ?? []).map((i) => data.rules[i]).filter((r) => r !== undefined)
  const shown = row ?? selected
  // The tab and history name the indicator, not only "Indicators" (one page serves every one).
  useEffect(() => {
    const before = document.title
    document.title = `${shown.value || meaningLabel(shown.field)} · ${before}`
    return () => {
      document.title = before
    }
  }, [shown.value, shown.field])
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
            {row.fields.length > 0 ? ` (as ${row.fields.join(", ")})` : ""}
            {rules.length > 1 ? `: ${byFormat(rules)}` : ""}.
          </p>
          {row.variants.length > 0 && <Variants group={row} />}
          <ul aria-label="Rules with this indicator" className="mt-3 list-disc space-y-1 pl-6 text-sm">
            {rules.map((r) => (
              <li key={`${r.format}/${r.slug}`}>
                <RuleLink href={`/rules/${r.format}/${r.slug}/`} className="text-sky-700 underline">
                  {r.name}
                </RuleLink>{" "}
                <span className="text-slate-600">· {formatLabel(r.format)}</span>
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

/** "Splunk 28, Sigma 60, Elastic 22": how the rules split by format, in the order they first appear. */
function byFormat(rules: Array<{ format: string }>): string {
  const counts = new Map<string, number>()
  for (const r of rules) counts.set(r.format, (counts.get(r.format) ?? 0) + 1)
  return [...counts].map(([f, n]) => `${formatLabel(f)} ${n}`).join(", ")
}
