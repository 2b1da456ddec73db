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

type Params = { format: string; slug: string }

export const dynamicParams = false

/** `output: "export"` wants the list even in dev, and refuses an empty one (a catalog may be empty). */
export function generateStaticParams(): Params[] {
  const params = getCatalog().catalog.detections.map((d) => ({ format: d.format, slug: d.slug }))
  return params.length > 0 ? params : [{ format: "_none", slug: "_none" }]
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { format, slug } = await params
  const rule = getCatalog().ruleBySlug.get(`${format}/${slug}`)
  return rule ? { title: rule.name, description: rule.description.slice(0, 200) } : {}
}

export default async function RulePageRoute({ params }: { params: Promise<Params> }) {
  const { format, slug } = await params
  const index = getCatalog()
  const rule = index.ruleBySlug.get(`${format}/${slug}`)
  if (!rule) notFound()
  return <RulePage {...rulePageView(index, loadAttackIndex(), rule)} />
}
