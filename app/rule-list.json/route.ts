import { getCatalog } from "@/lib/catalog/get.node"
import { allRuleRows } from "@/components/catalog/rule-list"
import { encodeRows } from "@/lib/catalog/rule-list"

export const dynamic = "force-static"

/**
 * `/rule-list.json`: every rule's row for the rule lists (lib/catalog/rule-list.ts), fetched by a
 * list too long to carry in its page's HTML (/rules/, the busiest techniques and data sources).
 */
export function GET() {
  return Response.json(encodeRows(allRuleRows(getCatalog())))
}
