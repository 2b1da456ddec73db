import { EVENT_SHAPE_DEFS } from "@/lib/events/shapes"
import { formatLabel } from "@/lib/formats/testers"
import type { FiredRule, NearMiss, TraceLeaf } from "@/lib/tester/match"
import { firesOnEverything } from "@/lib/tester/verdict"
import { RuleLink } from "@/components/ui/rule-link"
import { Badge } from "@/components/ui/badge"

import { clip, LeafLine, RuleTrace } from "./rule-trace"
import { SplBeside } from "./spl-beside"

const SHAPE_LABEL: Record<string, string> = {
  event: "the pasted event",
  ...Object.fromEntries(EVENT_SHAPE_DEFS.map((s) => [s.id, s.label])),
}

/** How many held conditions a folded firing rule shows before its full trace. */
const KEY_CONDITIONS = 4

/** The positive conditions that held on a value: what made the rule fire. */
function heldKeys(rule: FiredRule): TraceLeaf[] {
  return rule.trace.flatMap((s) => s.leaves.filter((l) => !l.negated && l.held === true && l.value !== undefined))
}

/** One firing rule, folded to its held key conditions and its risk; the full trace on demand. */
export function FiredReport({ rule, input }: { rule: FiredRule; input: number }) {
  const keys = heldKeys(rule)
  const everything = firesOnEverything(rule)
  return (
    <li className="rounded border border-slate-300 p-3" data-testid="fired-rule">
      <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <RuleLink href={`/rules/${rule.format}/${rule.slug}/`} className="font-semibold text-sky-800 underline">
          {rule.name}
        </RuleLink>
        <span className="text-xs text-slate-700">
          {formatLabel(rule.format)} · {rule.type} · read as {SHAPE_LABEL[rule.shape] ?? rule.shape}
          {rule.status !== "production" ? ` · ${rule.status}` : ""}
        </span>
        {everything && (
          <Badge tone="amber" data-testid="fires-on-everything">
            fires on everything it reads
          </Badge>
        )}
      </p>
      {everything ? (
        <p className="mt-1 text-sm text-amber-900">
          No positive condition of this rule held on a value of the event: it fires on every event of its source.
        </p>
      ) : (
        <ul className="mt-1 grid gap-1 text-sm" aria-label={`Why ${rule.name} fires`}>
          {keys.slice(0, KEY_CONDITIONS).map((l) => (
            <LeafLine key={l.id} leaf={l} />
          ))}
          {keys.length > KEY_CONDITIONS && (
            <li className="text-xs text-slate-700">and {keys.length - KEY_CONDITIONS} more in the trace</li>
          )}
        </ul>
      )}
      <RiskLines rule={rule} />
      <SplBeside rule={rule} input={input} />
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-slate-800">Full trace</summary>
        <RuleTrace trace={rule.trace} />
      </details>
    </li>
  )
}

function RiskLines({ rule }: { rule: FiredRule }) {
  if (rule.risk.length === 0)
    return rule.noRisk ? <p className="mt-1 text-xs text-slate-700">Risk: {rule.noRisk}.</p> : null
  return (
    <ul className="mt-1 text-xs text-slate-700" aria-label={`Risk ${rule.name} adds`}>
      {rule.risk.map((r, i) => (
        <li key={i}>
          Risk +{r.score} to{" "}
          <span className="font-mono">
            {r.field}
            {r.value !== undefined ? `=${clip(r.value, 60)}` : ""}
          </span>
          {r.value === undefined ? " (not named in the input)" : ""}: {r.basis}
        </li>
      ))}
    </ul>
  )
}

/** One near miss: how close, what failed, and the trace. */
export function NearMissReport({ rule, input }: { rule: NearMiss; input: number }) {
  return (
    <li className="rounded border border-slate-300 p-3" data-testid="near-miss">
      <p className="flex flex-wrap items-baseline gap-x-3">
        <RuleLink href={`/rules/${rule.format}/${rule.slug}/`} className="font-semibold text-sky-800 underline">
          {rule.name}
        </RuleLink>
        <span className="text-xs text-slate-700">
          {formatLabel(rule.format)} · {rule.type} · {rule.closeness.held} of {rule.closeness.total} conditions held
        </span>
      </p>
      <div className="mt-1 text-sm">
        <p className="text-slate-800">Would fire if one of these went the other way:</p>
        <ul className="mt-1 grid gap-1">
          {rule.failed.map((l) => (
            <LeafLine key={l.id} leaf={l} />
          ))}
        </ul>
      </div>
      <SplBeside rule={rule} input={input} />
      <details className="mt-2">
        <summary className="cursor-pointer text-sm text-slate-800">Trace</summary>
        <RuleTrace trace={rule.trace} />
      </details>
    </li>
  )
}
