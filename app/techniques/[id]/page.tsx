import type { Metadata } from "next"
import { notFound } from "next/navigation"

import { parseDescription } from "@/lib/attack/descriptions"
import { loadAttackIndex, loadTechniqueDescriptions } from "@/lib/attack/load.node"
import { getTechnique } from "@/lib/attack/model"
import { getCatalog } from "@/lib/catalog/get.node"
import { techniqueParams, techniqueView } from "@/lib/catalog/technique-view"
import { TechniquePage } from "@/components/attack/technique-page"

export const dynamicParams = false
type Params = { id: string }

export function generateStaticParams(): Params[] {
  return techniqueParams(loadAttackIndex(), getCatalog()).map((id) => ({ id }))
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const id = (await params).id.toUpperCase()
  const t = getTechnique(loadAttackIndex(), id)
  return {
    title: t ? `${id} ${t.name}` : id,
    description: `Detection rules covering ATT&CK ${id}${t ? ` ${t.name}` : ""}.`,
  }
}

export default async function TechniqueRoute({ params }: { params: Promise<Params> }) {
  const { id } = await params
  const attack = loadAttackIndex()
  const index = getCatalog()
  const pages = new Set(techniqueParams(attack, index))
  if (!pages.has(id)) notFound()
  const description = loadTechniqueDescriptions()[id.toUpperCase()]
  // Descriptions cite techniques of other ATT&CK matrices too (T1660 is Mobile): those keep ATT&CK's address.
  const blocks = description ? parseDescription(description, (t) => pages.has(t)) : undefined
  return <TechniquePage view={techniqueView(attack, index, id)} index={index} description={blocks} />
}
