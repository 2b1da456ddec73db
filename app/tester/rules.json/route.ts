import { getCatalog } from "@/lib/catalog/get.node"
import { testerRules } from "@/lib/tester/rules-data"

export const dynamic = "force-static"

/** `/tester/rules.json`: what the tester worker needs per rule (lib/tester/rules-data.ts). */
export function GET() {
  return Response.json(testerRules(getCatalog().catalog.detections))
}
