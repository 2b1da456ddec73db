import { loadAttackIndex } from "@/lib/attack/load.node"
import { getCatalog } from "@/lib/catalog/get.node"
import { techniqueParams, techniqueView } from "@/lib/catalog/technique-view"

export const dynamic = "force-static"
export const dynamicParams = false
type Params = { id: string }

export function generateStaticParams(): Params[] {
  return techniqueParams(loadAttackIndex(), getCatalog()).map((id) => ({ id }))
}

/** `/techniques/<id>/layer.json`: the technique page's Navigator layer, fetched when it is downloaded. */
export async function GET(_req: Request, { params }: { params: Promise<Params> }) {
  return Response.json(techniqueView(loadAttackIndex(), getCatalog(), (await params).id).layer)
}
