import type { Metadata } from "next"
import Link from "next/link"
import { notFound } from "next/navigation"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { shadeLevel } from "@/lib/attack/coverage"
import { getCatalog } from "@/lib/catalog/get.node"
import { allTacticShortnames, tacticView } from "@/lib/catalog/technique-view"
import { shadeClass, ShadeLegend } from "@/components/attack/shades"
import { RuleList } from "@/components/catalog/rule-list"
import { Section } from "@/components/ui/section"

export const dynamicParams = false
type Params = { shortname: string }

export function generateStaticParams(): Params[] {
  return allTacticShortnames(loadAttackIndex()).map((shortname) => ({ shortname }))
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const t = loadAttackIndex().tactics.get((await params).shortname)
  return t ? { title: `${t.name} (${t.id})` } : {}
}

export default async function TacticPage({ params }: { params: Promise<Params> }) {
  const index = getCatalog()
  const view = tacticView(loadAttackIndex(), index, (await params).shortname)
  if (!view) notFound()
  const shortname = view.shortname
  const rules = index.catalog.detections.filter((d) => d.attack.some((a) => a.tactics.includes(shortname)))
  const covered = view.techniques.filter((t) => t.rules > 0).length
  return (
    <article>
      <p className="text-sm text-slate-600">
        ATT&amp;CK tactic · <span className="font-mono">{view.id}</span>
      </p>
      <h1 className="text-3xl font-bold tracking-tight">{view.name}</h1>
      <p className="mt-2 text-slate-700">
        {covered} of {view.techniques.length} techniques covered by the catalog&apos;s rules (counts include
        sub-technique rules, marked *).{" "}
        <Link prefetch={false} href="/attack/" className="text-sky-700 underline underline-offset-2">
          Back to the matrix
        </Link>
      </p>
      <ShadeLegend className="mt-3" />
      <ul className="mt-4 space-y-2" data-testid="tactic-techniques">
        {view.techniques.map((t) => (
          <li key={t.id}>
            <Link
              href={`/techniques/${t.id.toLowerCase()}/`}
              prefetch={false}
              className={`flex justify-between rounded border px-3 py-1.5 text-sm hover:ring-2 hover:ring-sky-500 ${shadeClass(shadeLevel(t.rules))}`}
            >
              <span>
                <span className="font-mono">{t.id}</span> {t.name}
              </span>
              <span className="font-semibold">
                {t.rules}
                {t.viaSub ? "*" : ""} rule{t.rules === 1 ? "" : "s"}
              </span>
            </Link>
            {t.subs.length > 0 && (
              <ul className="ml-6 mt-1 flex flex-wrap gap-1 text-xs">
                {t.subs.map((s) => (
                  <li key={s.id}>
                    <Link
                      href={`/techniques/${s.id.toLowerCase()}/`}
                      prefetch={false}
                      className={`block rounded border px-2 py-0.5 ${shadeClass(shadeLevel(s.rules))}`}
                    >
                      <span className="font-mono">{s.id}</span> {s.name} · {s.rules}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      <Section id="rules" title={`Rules (${rules.length})`}>
        <RuleList
          index={index}
          rules={rules}
          scope={{ tactic: shortname }}
          exportName={`tactic-${shortname}`}
          hide={["tactic"]}
          empty="No rule in the catalog maps to this tactic."
        />
      </Section>
    </article>
  )
}
