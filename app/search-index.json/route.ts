import { getCatalog } from "@/lib/catalog/get.node"
import { buildSearchIndex } from "@/lib/search/build-index"

export const dynamic = "force-static"

/** `/search-index.json`: packed rule records, loaded by the search worker. */
export async function GET() {
  return Response.json(await buildSearchIndex(getCatalog()))
}
