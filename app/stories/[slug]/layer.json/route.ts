import { loadAttackIndex } from "@/lib/attack/load.node"
import { storyTechniques } from "@/lib/catalog/coverage-view"
import { getCatalog } from "@/lib/catalog/get.node"

export const dynamic = "force-static"
export const dynamicParams = false
type Params = { slug: string }

export function generateStaticParams(): Params[] {
  const slugs = getCatalog().catalog.stories.map((s) => ({ slug: s.slug }))
  return slugs.length > 0 ? slugs : [{ slug: "_none" }]
}

/** `/stories/<slug>/layer.json`: the story page's Navigator layer, fetched when it is downloaded. */
export async function GET(_req: Request, { params }: { params: Promise<Params> }) {
  const index = getCatalog()
  const story = index.storyBySlug.get((await params).slug)
  return Response.json(story ? storyTechniques(loadAttackIndex(), index, story).layer : {})
}
