import type { Metadata } from "next"
import Link from "next/link"
import { notFound } from "next/navigation"

import { getCatalog } from "@/lib/catalog/get.node"
import { rulePath } from "@/lib/catalog/views"
import { withBasePath } from "@/lib/site"

export const dynamicParams = false

type Params = { uuid: string }

export function generateStaticParams(): Params[] {
  const ids = getCatalog().catalog.detections.map((d) => ({ uuid: d.id }))
  return ids.length > 0 ? ids : [{ uuid: "_none" }]
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { uuid } = await params
  const rule = getCatalog().ruleById.get(uuid)
  return rule ? { title: rule.name, robots: { index: false } } : {}
}

/** A permanent link by rule id: a static redirect to the rule page, with a link for no-JS readers. */
export default async function IdPage({ params }: { params: Promise<Params> }) {
  const { uuid } = await params
  const rule = getCatalog().ruleById.get(uuid)
  if (!rule) notFound()
  const target = rulePath(rule)
  return (
    <>
      <meta httpEquiv="refresh" content={`0; url=${withBasePath(target)}`} />
      <p>
        Rule <code className="font-mono">{uuid}</code> is{" "}
        <Link href={target} className="text-sky-700 underline">{rule.name}</Link>.
      </p>
    </>
  )
}
