/**
 * The Sigma parts of a rule page: the logsource, each search identifier with its predicate and
 * the condition; the tags as written; the related rules.
 */
import Link from "next/link"

import type { SigmaAnalysis } from "@/lib/formats/sigma/types"
import { Badge } from "@/components/ui/badge"
import { RuleLink } from "@/components/ui/rule-link"

import { PredicateTree } from "@/components/rules/predicate-tree"

/** A related rule as the page receives it: resolved to a catalog rule when there is one. */
export interface RelatedRule {
  id: string
  type: string
  name?: string
  href?: string
}

const LOGSOURCE_KEYS = ["product", "category", "service"] as const

/**
 * "Stages and predicates" for a Sigma rule: the evaluability verdict, the logsource (the gate the
 * tester applies), each search identifier with its YAML and its predicate, then the condition and
 * the whole rule as one predicate. Rule text is rendered as text only.
 */
export function SigmaStages({ sigma }: { sigma: SigmaAnalysis }) {
  const tone = sigma.evaluable ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"
  return (
    <div className="space-y-4">
      <div data-testid="evaluability" className={`rounded border p-3 text-sm ${tone}`}>
        <p className="font-semibold">
          {sigma.evaluable
            ? "Evaluable on a single event"
            : sigma.kind === "correlation"
              ? "Correlation rule: not evaluated on a single event"
              : "Not evaluable on a single event"}
        </p>
        {sigma.reason && <p className="mt-1">{sigma.reason}</p>}
      </div>
      {sigma.correlation && (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm" aria-label="Correlation">
          <dt className="font-medium text-slate-700">Type</dt>
          <dd className="font-mono">{sigma.correlation.type}</dd>
          <dt className="font-medium text-slate-700">Rules</dt>
          <dd className="break-anywhere font-mono">{sigma.correlation.rules.join(", ")}</dd>
          {sigma.correlation.groupBy.length > 0 && (
            <>
              <dt className="font-medium text-slate-700">Group by</dt>
              <dd className="font-mono">{sigma.correlation.groupBy.join(", ")}</dd>
            </>
          )}
          {sigma.correlation.timespan && (
            <>
              <dt className="font-medium text-slate-700">Timespan</dt>
              <dd className="font-mono">{sigma.correlation.timespan}</dd>
            </>
          )}
          {sigma.correlation.condition && (
            <>
              <dt className="font-medium text-slate-700">Threshold</dt>
              <dd className="font-mono">{sigma.correlation.condition}</dd>
            </>
          )}
        </dl>
      )}
      {sigma.kind === "detection" && (
        <>
          <p className="text-sm" data-testid="logsource">
            Log source:{" "}
            {LOGSOURCE_KEYS.filter((k) => sigma.logsource[k]).map((k) => (
              <Badge key={k} tone="sky" className="mr-1">{`${k}: ${sigma.logsource[k]}`}</Badge>
            ))}
            <span className="text-slate-600">the tester only runs this rule on events from this source.</span>
          </p>
          <ol aria-label="Selections" className="space-y-4">
            {sigma.selections.map((s) => (
              <li key={s.name} aria-label={`Selection ${s.name}`} className="stage">
                <h3>
                  <span>{s.name}</span>
                  <small className="role">{s.name.startsWith("filter") ? "filter" : "search identifier"}</small>
                </h3>
                <pre>{s.text}</pre>
                <h4>Predicate</h4>
                <PredicateTree predicate={s.predicate} />
              </li>
            ))}
          </ol>
          <div aria-label="Condition" role="group" className="stage">
            <h3>
              <span>Condition</span>
            </h3>
            <pre>{sigma.condition}</pre>
            <h4>Whole rule</h4>
            <PredicateTree predicate={sigma.predicate} />
          </div>
        </>
      )}
    </div>
  )
}

/** Tags as written, tactic tags flagged when the bundled ATT&CK release predates them. */
export function SigmaTags({ sigma, knownTactics }: { sigma: SigmaAnalysis; knownTactics: string[] }) {
  if (sigma.tags.length === 0) return <p className="text-sm text-slate-600">None.</p>
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Tags">
      {sigma.tags.map((t) => {
        const tactic = t.startsWith("attack.") ? t.slice(7) : ""
        const known = knownTactics.includes(tactic)
        return (
          <li key={t}>
            {known ? (
              <Link href={`/tactics/${tactic}/`} className="font-mono text-sm text-sky-700 underline">
                {t}
              </Link>
            ) : (
              <code className="font-mono text-sm">{t}</code>
            )}
            {sigma.tactics.includes(tactic) && !known && (
              <Badge tone="amber" className="ml-1" title="a tactic newer than the bundled ATT&CK release">
                newer ATT&CK
              </Badge>
            )}
          </li>
        )
      })}
    </ul>
  )
}

export function SigmaRelated({ related }: { related: RelatedRule[] }) {
  if (related.length === 0) return <p className="text-sm text-slate-600">None.</p>
  return (
    <ul className="list-disc space-y-1 pl-6 text-sm">
      {related.map((r) => (
        <li key={`${r.type}-${r.id}`}>
          <span className="text-slate-700">{r.type}: </span>
          {r.href ? (
            <RuleLink href={r.href} className="text-sky-700 underline">
              {r.name ?? r.id}
            </RuleLink>
          ) : (
            <code className="font-mono">{r.id}</code>
          )}
        </li>
      ))}
    </ul>
  )
}
