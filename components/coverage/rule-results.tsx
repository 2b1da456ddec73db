import Link from "next/link"

import type { RunnableResult, RunnableRule, RunnableSource } from "@/lib/catalog/runnable"

function RuleLink({ rule }: { rule: RunnableRule }) {
  return (
    <Link href={`/rules/${rule.format}/${rule.slug}/`} prefetch={false} className="text-sky-800 hover:underline">
      {rule.name}
    </Link>
  )
}

/** The runnable rules, the blocked ones with what they lack, and those with unknown requirements. */
export function RuleResults({ rules, sources, result }: { rules: RunnableRule[]; sources: RunnableSource[]; result: RunnableResult }) {
  const name = (i: number) => sources[i]?.name ?? `source ${i}`
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <section aria-labelledby="runnable-title">
        <h2 id="runnable-title" className="text-xl font-semibold">Rules you can run ({result.runnable.length})</h2>
        {result.runnable.length === 0 && <p className="mt-2 text-sm text-slate-700">Select data sources to see the rules they feed.</p>}
        <ul className="mt-2 list-disc pl-6 text-sm" data-testid="runnable-rules">
          {result.runnable.map((i) => rules[i] && (
            <li key={i}><RuleLink rule={rules[i]} /> <span className="text-slate-600">({rules[i].type})</span></li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="blocked-title">
        <h2 id="blocked-title" className="text-xl font-semibold">Rules you cannot run ({result.blocked.length})</h2>
        <p className="mt-1 text-sm text-slate-700">Each needs one of the listed alternatives; names joined by + are needed together.</p>
        <ul className="mt-2 space-y-1 text-sm" data-testid="blocked-rules">
          {result.blocked.map((b) => {
            const rule = rules[b.rule]
            return rule && (
            <li key={b.rule}>
              <RuleLink rule={rule} />
              <span className="block text-slate-700">lacks: {b.missing.map((g) => g.map(name).join(" + ")).join(" or ")}</span>
            </li>
            )
          })}
        </ul>
      </section>
      {result.unknown.length > 0 && (
        <section aria-labelledby="unknown-title" className="lg:col-span-2">
          <h2 id="unknown-title" className="text-xl font-semibold">Unknown requirements ({result.unknown.length})</h2>
          <p className="mt-1 text-sm text-slate-700">These rules name no data source, so whether you can run them is not known.</p>
          <ul className="mt-2 list-disc pl-6 text-sm" data-testid="unknown-rules">
            {result.unknown.map((i) => rules[i] && <li key={i}><RuleLink rule={rules[i]} /></li>)}
          </ul>
        </section>
      )}
    </div>
  )
}
