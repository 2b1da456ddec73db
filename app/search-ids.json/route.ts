import { getCatalog } from "@/lib/catalog/get.node"
import { buildSearchIds } from "@/lib/search/build-index"

export const dynamic = "force-static"

/** `/search-ids.json`: rule ids, fetched by the search worker only for a query that can match one. */
export async function GET() {
  return Response.json(buildSearchIds(getCatalog()))
}
