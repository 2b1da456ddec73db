
import { EVENT_SHAPE_DEFS } from "@/lib/events/shapes"
import { formatLabel } from "@/lib/formats/testers"
import type { FiredRule, NearMiss } from "@/lib/tester/match"
import { RuleLink } from "@/components/ui/rule-link"

import { LeafLine, RuleTrace } from "./rule-trace"

const SHAPE_LABEL: Record<string, string> = { event: "the pasted event", ...Object.fromEntries(EVENT_SHAPE_DEFS.map((s) => [s.id, s.label])) }

/** One firing rule or near miss: link, shape read, risk or failed conditions, and the trace. */
export function RuleReport({ rule }: { rule: FiredRule | NearMiss }) {
  const fired = "summary" in rule
  return (
    <li className="rounded border border-slate-300 p-3" data-testid={fired ? "fired-rule" : "near-miss"}>
      <p className="flex flex-wrap items-baseline gap-x-3">
        <RuleLink href={`/rules/${rule.format}/${rule.slug}/`} className="font-semibold text-sky-800 underline">
          {rule.name}
        </RuleLink>
        <span className="text-xs text-slate-700">
          {formatLabel(rule.format)} · {rule.type} · read as {SHAPE_LABEL[rule.shape] ?? rule.shape}
          {fired && rule.riskScore !== undefined ? ` · risk ${rule.riskScore}` : ""}
        </span>
      </p>
      {fired && rule.risk.length > 0 && (
        <p className="mt-1 text-xs text-slate-700">Adds {rule.risk.map((r) => `${r.score} to ${r.field}${r.value ? `=${r.value.slice(0, 60)}` : ""}`).join(", ")}</p>
      )}
      {!fired && (
        <div className="mt-1 text-sm">
          <p className="text-slate-800">Would fire if one of these held:</p>
          <ul className="mt-1 grid gap-1">
            {rule.failed.map((l) => (
              <LeafLine key={l.id} leaf={l} />
            ))}
          </ul>
        </div>
      )}
      <details className="mt-2" open={fired}>
        <summary className="cursor-pointer text-sm text-slate-800">Trace</summary>
        <RuleTrace trace={rule.trace} />
      </details>
    </li>
  )
}
