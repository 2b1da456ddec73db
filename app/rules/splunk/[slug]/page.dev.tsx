/**
 * Dev server only (`next dev`): a production build renders rule pages outside Next, as plain HTML
 * (scripts/rule-pages/), and next.config.mjs reads `.dev.tsx` pages only in development.
 */
import type { Metadata } from "next"
import { notFound } from "next/navigation"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { getCatalog } from "@/lib/catalog/get.node"
import { rulePageView } from "@/lib/catalog/rule-page-view"
import { RulePage } from "@/components/rules/rule-page"

type Params = { slug: string }

export const dynamicParams = false

/** `output: "export"` wants the list even in dev; a catalog may have no Splunk rules, and an empty list is refused. */
export function generateStaticParams(): Params[] {
  const slugs = getCatalog().catalog.detections.filter((d) => d.format === "splunk").map((d) => ({ slug: d.slug }))
  return slugs.length > 0 ? slugs : [{ slug: "_none" }]
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { slug } = await params
  const rule = getCatalog().ruleBySlug.get(`splunk/${slug}`)
  return rule ? { title: rule.name, description: rule.description.slice(0, 200) } : {}
}

export default async function SplunkRulePage({ params }: { params: Promise<Params> }) {
  const { slug } = await params
  const index = getCatalog()
  const rule = index.ruleBySlug.get(`splunk/${slug}`)
  if (!rule) notFound()
  return <RulePage {...rulePageView(index, loadAttackIndex(), rule)} />
}
