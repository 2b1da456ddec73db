import { loadAttackIndex } from "@/lib/attack/load.node"
import { runnableData, unnamedSourceGroups } from "@/lib/catalog/coverage-view"
import { getCatalog } from "@/lib/catalog/get.node"

export const dynamic = "force-static"

/**
 * `/coverage/log-sources.json`: the rules of "What can I run?" that name no data source, grouped by
 * the log source they name instead; fetched when that part of the page is shown.
 */
export function GET() {
  const index = getCatalog()
  const { rules } = runnableData(loadAttackIndex(), index)
  const unknown = rules.flatMap((r, i) => (r.needs.length === 0 ? [i] : []))
  return Response.json(unnamedSourceGroups(index, unknown))
}
