import { loadAttackIndex } from "@/lib/attack/load.node"
import { dataSourceTechniques } from "@/lib/catalog/coverage-view"
import { getCatalog } from "@/lib/catalog/get.node"

export const dynamic = "force-static"
export const dynamicParams = false
type Params = { slug: string }

export function generateStaticParams(): Params[] {
  const slugs = getCatalog().catalog.dataSources.map((s) => ({ slug: s.slug }))
  return slugs.length > 0 ? slugs : [{ slug: "_none" }]
}

/** `/data-sources/<slug>/layer.json`: the data source page's Navigator layer, fetched when it is downloaded. */
export async function GET(_req: Request, { params }: { params: Promise<Params> }) {
  const index = getCatalog()
  const ds = index.dataSourceBySlug.get((await params).slug)
  const layer = ds ? dataSourceTechniques(loadAttackIndex(), index, ds).layer : undefined
  return Response.json(layer ?? {})
}
