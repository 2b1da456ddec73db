import type { Metadata } from "next"
import { notFound } from "next/navigation"

import { getCatalog } from "@/lib/catalog/get.node"
import { macroSlug } from "@/lib/catalog/views"
import { RuleList } from "@/components/catalog/rule-list"
import { CodeBlock } from "@/components/rules/code-block"
import { Section } from "@/components/ui/section"

export const dynamicParams = false
type Params = { name: string }

export function generateStaticParams(): Params[] {
  const names = [...getCatalog().macrosByName.keys()].map((n) => ({ name: macroSlug(n) }))
  return names.length > 0 ? names : [{ name: "_none" }]
}

function find(name: string) {
  return getCatalog().macrosByName.get(decodeURIComponent(name))
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const defs = find((await params).name)
  return defs?.[0] ? { title: `Macro ${defs[0].name}` } : {}
}

export default async function MacroPage({ params }: { params: Promise<Params> }) {
  const defs = find((await params).name)
  const first = defs?.[0]
  if (!defs || !first) notFound()
  const index = getCatalog()
  const rules = index.rulesByMacro.get(first.name) ?? []
  return (
    <article>
      <p className="text-sm text-slate-600">Macro</p>
      <h1 className="break-anywhere font-mono text-3xl font-bold tracking-tight">{first.name}</h1>
      {defs.map((m) => (
        <div key={m.arguments.length} className="mt-6">
          <p className="text-sm text-slate-700">
            {m.arguments.length > 0 ? <>Arguments: <code className="font-mono">{m.arguments.join(", ")}</code></> : "No arguments."} {m.description}
          </p>
          <div className="mt-2">
            <CodeBlock code={m.definition} lang="splunk" label={m.path} />
          </div>
        </div>
      ))}
      <Section id="rules" title={`Rules that call it (${rules.length})`}>
        <RuleList index={index} rules={rules} scope={{ macro: first.name }} exportName={`macro-${first.name}`} />
      </Section>
    </article>
  )
}
