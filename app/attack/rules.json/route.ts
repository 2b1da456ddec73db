import { getCatalog } from "@/lib/catalog/get.node"
import { layerRuleList } from "@/lib/catalog/technique-view"

export const dynamic = "force-static"

/** `/attack/rules.json`: `[name, path]` of every rule by rule number, fetched when /attack/ exports a layer. */
export function GET() {
  return Response.json(layerRuleList(getCatalog()))
}
