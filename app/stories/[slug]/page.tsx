import type { Metadata } from "next"
import { notFound } from "next/navigation"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { layerFileName } from "@/lib/attack/navigator"
import { storyTechniques } from "@/lib/catalog/coverage-view"
import { getCatalog } from "@/lib/catalog/get.node"
import { DownloadLayerButton } from "@/components/attack/download-layer.client"
import { MiniMatrix } from "@/components/attack/mini-matrix"
import { RuleList } from "@/components/catalog/rule-list"
import { SafeLink } from "@/components/ui/safe-link"
import { Section } from "@/components/ui/section"

export const dynamicParams = false
type Params = { slug: string }

export function generateStaticParams(): Params[] {
  const slugs = getCatalog().catalog.stories.map((s) => ({ slug: s.slug }))
  return slugs.length > 0 ? slugs : [{ slug: "_none" }]
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const story = getCatalog().storyBySlug.get((await params).slug)
  return story ? { title: story.name } : {}
}

export default async function StoryPage({ params }: { params: Promise<Params> }) {
  const index = getCatalog()
  const story = index.storyBySlug.get((await params).slug)
  if (!story) notFound()
  const rules = index.rulesByStory.get(story.name) ?? []
  const coverage = storyTechniques(loadAttackIndex(), index, story)
  return (
    <article>
      <p className="text-sm text-slate-600">Analytic story</p>
      <h1 className="break-anywhere text-3xl font-bold tracking-tight">{story.name}</h1>
      {/* The lists sit below a narrative that can run for screens: say at once what the story holds. */}
      <p className="mt-2 text-sm" data-testid="story-counts">
        <a href="#rules-title" className="text-sky-700 underline underline-offset-2">
          {rules.length.toLocaleString("en")} {rules.length === 1 ? "rule" : "rules"}
        </a>{" "}
        ·{" "}
        <a href="#techniques-title" className="text-sky-700 underline underline-offset-2">
          {coverage.techniques.length.toLocaleString("en")} ATT&amp;CK{" "}
          {coverage.techniques.length === 1 ? "technique" : "techniques"}
        </a>
      </p>
      <p className="break-anywhere mt-4 whitespace-pre-line text-slate-800">{story.description}</p>
      {story.narrative && (
        <Section id="narrative" title="Narrative">
          <p className="break-anywhere whitespace-pre-line text-slate-800">{story.narrative}</p>
        </Section>
      )}
      <Section id="rules" title={`Rules (${rules.length})`}>
        <RuleList index={index} rules={rules} scope={{ story: story.name }} exportName={`story-${story.slug}`} />
      </Section>
      <Section id="techniques" title={`ATT&CK techniques (${coverage.techniques.length})`}>
        <MiniMatrix columns={coverage.columns} />
        <div className="mt-3">
          <DownloadLayerButton
            href={`/stories/${story.slug}/layer.json`}
            empty={coverage.techniques.length === 0}
            fileName={layerFileName(`story-${story.slug}`)}
          />
        </div>
      </Section>
      {story.references.length > 0 && (
        <Section id="references" title="References">
          <ul className="list-disc pl-6 text-sm">
            {story.references.map((r, i) => (
              <li key={`${r}-${i}`}>
                <SafeLink href={r} />
              </li>
            ))}
          </ul>
        </Section>
      )}
      <p className="mt-8 text-sm text-slate-600">
        {[story.categories.join(", "), story.usecase, story.author, story.date].filter(Boolean).join(" · ")}
      </p>
    </article>
  )
}
