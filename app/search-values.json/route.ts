import { getCatalog } from "@/lib/catalog/get.node"
import { buildSearchValues } from "@/lib/search/build-index"

export const dynamic = "force-static"

/** `/search-values.json`: the hash values the search index leaves out, fetched by the search worker only for a query that can match one. */
export async function GET() {
  return Response.json(buildSearchValues(getCatalog()))
}
