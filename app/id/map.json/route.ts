import { getCatalog } from "@/lib/catalog/get.node"
import { idMap } from "@/lib/catalog/permalink"

export const dynamic = "force-static"

/** `/id/map.json`: rule id → rule page, fetched by /id/ only when someone follows a permalink. */
export function GET() {
  return Response.json(idMap(getCatalog().catalog.detections))
}
