import { loadAttackIndex } from "@/lib/attack/load.node"
import { runnableData } from "@/lib/catalog/coverage-view"
import { getCatalog } from "@/lib/catalog/get.node"

export const dynamic = "force-static"

/**
 * `/coverage/rules.json`: each rule's data-source needs and techniques (RunnableRule[]), fetched
 * by the "What can I run?" island so the page's HTML does not carry every rule (1,711 in the corpus).
 */
export function GET() {
  return Response.json(runnableData(loadAttackIndex(), getCatalog()).rules)
}
