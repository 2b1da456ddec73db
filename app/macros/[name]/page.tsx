import type { Metadata } from "next"
import { notFound } from "next/navigation"

import { getCatalog } from "@/lib/catalog/get.node"
import { linkedMacroNames, macroSlug, shownPath } from "@/lib/catalog/views"
import { RuleList } from "@/components/catalog/rule-list"
import { CodeBlock } from "@/components/rules/code-block"
import { Section } from "@/components/ui/section"

export const dynamicParams = false
type Params = { name: string }

// A page for every macro a rule page links to: the defined ones, and those rules call but no file
// of macros/ defines (a rule page's link must never lead to a 404).
export function generateStaticParams(): Params[] {
  const names = linkedMacroNames(getCatalog()).map((n) => ({ name: macroSlug(n) }))
  return names.length > 0 ? names : [{ name: "_none" }]
}

function find(slug: string): string | undefined {
  const name = decodeURIComponent(slug)
  const index = getCatalog()
  return index.macrosByName.has(name) || index.rulesByMacro.has(name) ? name : undefined
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const name = find((await params).name)
  return name ? { title: `Macro ${name}` } : {}
}

export default async function MacroPage({ params }: { params: Promise<Params> }) {
  const name = find((await params).name)
  if (!name) notFound()
  const index = getCatalog()
  const defs = index.macrosByName.get(name) ?? []
  const rules = index.rulesByMacro.get(name) ?? []
  return (
    <article>
      <p className="text-sm text-slate-600">Macro</p>
      <h1 className="break-anywhere font-mono text-3xl font-bold tracking-tight">{name}</h1>
      {defs.length === 0 && (
        <p
          className="mt-4 max-w-3xl rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
          data-testid="macro-undefined"
        >
          Not defined in this catalog: no file in <code className="font-mono">macros/</code> defines it, yet{" "}
          {rules.length === 1 ? "1 rule calls" : `${rules.length.toLocaleString("en")} rules call`} it. Their searches
          keep the call unexpanded, so what it adds is unknown here; in Splunk it comes from an app or add-on installed
          beside the content.
        </p>
      )}
      {defs.map((m) => (
        <div key={m.arguments.length} className="mt-6">
          <p className="break-anywhere text-sm text-slate-700">
            {m.arguments.length > 0 ? (
              <>
                Arguments: <code className="font-mono">{m.arguments.join(", ")}</code>
              </>
            ) : (
              "No arguments."
            )}{" "}
            {m.description}
          </p>
          <div className="mt-2">
            <CodeBlock code={m.definition} lang="splunk" label={shownPath(index.catalog.roots, m.path)} />
          </div>
        </div>
      ))}
      <Section id="rules" title={`Rules that call it (${rules.length})`}>
        <RuleList index={index} rules={rules} scope={{ macro: name }} exportName={`macro-${name}`} />
      </Section>
    </article>
  )
}
