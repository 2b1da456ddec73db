import type { Metadata } from "next"
import { notFound } from "next/navigation"

import { loadAttackIndex } from "@/lib/attack/load.node"
import { attackRows } from "@/lib/catalog/attack-view"
import { getCatalog } from "@/lib/catalog/get.node"
import { relatedRules, ruleEventCoverage, ruleIndicators } from "@/lib/catalog/views"
import { RulePage } from "@/components/rules/rule-page"

export const dynamicParams = false

type Params = { slug: string }

/** Placeholder param: a static export refuses an empty list, and a catalog may have no Sigma rules. */
const NONE = "_none"

export function generateStaticParams(): Params[] {
  const slugs = getCatalog().catalog.detections.filter((d) => d.format === "sigma").map((d) => ({ slug: d.slug }))
  return slugs.length > 0 ? slugs : [{ slug: NONE }]
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { slug } = await params
  const rule = getCatalog().ruleBySlug.get(`sigma/${slug}`)
  return rule ? { title: rule.name, description: rule.description.slice(0, 200) } : {}
}

export default async function SigmaRulePage({ params }: { params: Promise<Params> }) {
  const { slug } = await params
  const index = getCatalog()
  const rule = index.ruleBySlug.get(`sigma/${slug}`)
  if (!rule) notFound()
  const attack = loadAttackIndex()
  return (
    <RulePage
      rule={rule}
      attackRows={attackRows(attack, rule.attack)}
      events={ruleEventCoverage(index, rule)}
      stories={[]}
      indicators={ruleIndicators(index, rule)}
      related={relatedRules(index, rule)}
      knownTactics={[...attack.tactics.keys()]}
    />
  )
}
