import { getCatalog } from "@/lib/catalog/get.node"
import { indicatorData } from "@/lib/catalog/indicators"

export const dynamic = "force-static"

/** `/indicators.json`: every indicator with the rules sharing it, fetched lazily by /indicators/. */
export function GET() {
  const index = getCatalog()
  return Response.json(indicatorData(index.indicators, index.catalog.detections))
}
