import type { Metadata } from "next"
import Link from "next/link"
import { notFound } from "next/navigation"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { layerFileName } from "@/lib/attack/navigator"
import { dataSourceTechniques } from "@/lib/catalog/coverage-view"
import { getCatalog } from "@/lib/catalog/get.node"
import { DownloadLayerButton } from "@/components/attack/download-layer.client"
import { RuleList } from "@/components/catalog/rule-list"
import { CodeBlock } from "@/components/rules/code-block"
import { SafeLink } from "@/components/ui/safe-link"
import { Section } from "@/components/ui/section"

export const dynamicParams = false
type Params = { slug: string }

export function generateStaticParams(): Params[] {
  const slugs = getCatalog().catalog.dataSources.map((s) => ({ slug: s.slug }))
  return slugs.length > 0 ? slugs : [{ slug: "_none" }]
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const ds = getCatalog().dataSourceBySlug.get((await params).slug)
  return ds ? { title: ds.name } : {}
}

export default async function DataSourcePage({ params }: { params: Promise<Params> }) {
  const index = getCatalog()
  const ds = index.dataSourceBySlug.get((await params).slug)
  if (!ds) notFound()
  const rules = index.rulesByDataSource.get(ds.name) ?? []
  const covered = dataSourceTechniques(loadAttackIndex(), index, ds)
  const facts: Array<[string, string | undefined]> = [
    ["Provider", ds.coverage.provider],
    ["Event", ds.coverage.event],
    ["Title", ds.coverage.title || undefined],
    ["Source", ds.source],
    ["Sourcetype", ds.sourcetype],
    ["Separator", ds.separator],
  ]
  return (
    <article>
      <p className="text-sm text-slate-600">Data source</p>
      <h1 className="break-anywhere text-3xl font-bold tracking-tight">{ds.name}</h1>
      <p className="break-anywhere mt-4 whitespace-pre-line text-slate-800">{ds.description}</p>
      <dl className="mt-6 grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        {facts
          .filter((f): f is [string, string] => Boolean(f[1]))
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-medium text-slate-700">{k}</dt>
              <dd className="break-anywhere font-mono">{v}</dd>
            </div>
          ))}
        {/* What a reader came for, on the first screen: the rule list sits below the fields and example. */}
        <dt className="font-medium text-slate-700">Rules</dt>
        <dd>
          <a
            href="#rules-title"
            className="text-sky-700 underline underline-offset-2"
            data-testid="data-source-rule-count"
          >
            {rules.length.toLocaleString("en")} {rules.length === 1 ? "rule reads" : "rules read"} it
          </a>
        </dd>
        <dt className="font-medium text-slate-700">Techniques</dt>
        <dd>
          <a href="#techniques-title" className="text-sky-700 underline underline-offset-2">
            {covered.techniques.length.toLocaleString("en")} covered by its rules
          </a>
        </dd>
      </dl>
      {ds.fields.length > 0 && (
        <Section id="fields" title={`Fields (${ds.fields.length})`}>
          <ul className="flex flex-wrap gap-2 font-mono text-xs">
            {ds.fields.map((f) => (
              <li key={f} className="rounded bg-slate-100 px-1.5 py-0.5">
                {f}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {ds.supportedTA.length > 0 && (
        <Section id="add-ons" title="Supported add-ons">
          <ul className="list-disc pl-6 text-sm">
            {ds.supportedTA.map((t, i) => (
              <li key={`${t.name}-${i}`}>
                {t.name} {t.version && `(${t.version})`} {t.url && <SafeLink href={t.url} />}
              </li>
            ))}
          </ul>
        </Section>
      )}
      {ds.exampleLog && (
        <Section id="example" title="Example event">
          <CodeBlock
            code={ds.exampleLog}
            lang={ds.exampleLog.trimStart().startsWith("<") ? "xml" : "json"}
            label="example_log"
          />
        </Section>
      )}
      <Section id="rules" title={`Rules that read it (${rules.length})`}>
        <RuleList
          index={index}
          rules={rules}
          scope={{ source: ds.name }}
          exportName={`data-source-${ds.slug}`}
          hide={["source"]}
        />
      </Section>
      <Section id="techniques" title={`Techniques its rules cover (${covered.techniques.length})`}>
        {covered.techniques.length > 0 && (
          <ul className="mb-3 flex flex-wrap gap-2 text-sm" data-testid="data-source-techniques">
            {covered.techniques.map((t) => (
              <li key={t.id}>
                <Link
                  href={`/techniques/${t.id.toLowerCase()}/`}
                  prefetch={false}
                  className="rounded border border-slate-300 px-2 py-0.5 text-sky-800 hover:underline"
                >
                  <span className="font-mono">{t.id}</span> {t.name} ({t.rules})
                </Link>
              </li>
            ))}
          </ul>
        )}
        <DownloadLayerButton
          href={`/data-sources/${ds.slug}/layer.json`}
          empty={covered.techniques.length === 0}
          fileName={layerFileName(`data-source-${ds.slug}`)}
        />
      </Section>
    </article>
  )
}
