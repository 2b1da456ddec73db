/**
 * A prebuilt Navigator layer narrowed to the rules a list's filters keep: each technique keeps the
 * rule links whose page is kept, its score becomes their number, and techniques left with none
 * drop out. Pure.
 */
import { buildNavigatorLayer, type LayerRule, type NavigatorLayer } from "@/lib/attack/navigator"

export function narrowLayer(layer: NavigatorLayer, keep: ReadonlySet<string>, filters: string): NavigatorLayer {
  const techniques: Record<string, LayerRule[]> = {}
  for (const t of layer.techniques) {
    const rules = t.links.filter((l) => keep.has(l.url)).map((l) => ({ name: l.label, url: l.url }))
    if (rules.length > 0) techniques[t.techniqueID] = rules
  }
  const count = new Set(Object.values(techniques).flatMap((rs) => rs.map((r) => r.url))).size
  return buildNavigatorLayer({
    name: `${layer.name} (${filters})`,
    description: `${layer.description} Only the ${count} rule(s) kept by the list's filters: ${filters}.`,
    attackVersion: layer.versions.attack,
    domain: layer.domain,
    techniques,
  })
}
