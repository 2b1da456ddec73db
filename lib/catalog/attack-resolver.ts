/**
 * Adapter from the ATT&CK index (lib/attack) to what the catalog records per rule.
 *
 * Owns: turning a written technique id into an `AttackMapping` (name, tactics in matrix order,
 * status, replacement). Unknown ids are kept as written and flagged, never dropped.
 * Never imports: React, Next, Node built-ins.
 */
import { killChainPhases, resolveTechnique, tacticPosition, type AttackIndex } from "../attack/model.ts"
import type { AttackResolver } from "../model/types.ts"
import type { AttackMapping } from "./types.ts"

export function attackResolver(index: AttackIndex): AttackResolver & { version: string } {
  return {
    version: index.data.version,
    resolve(id: string): AttackMapping {
      const r = resolveTechnique(index, id)
      const mapping: AttackMapping = { id: id.trim().toUpperCase(), tactics: [], status: r.status }
      if (r.technique) {
        mapping.name = r.technique.name
        mapping.tactics = [...r.technique.tactics].sort((a, b) => tacticPosition(index, a) - tacticPosition(index, b))
      }
      if (r.replacement) mapping.replacedBy = r.replacement.id
      return mapping
    },
    killChain(mappings: AttackMapping[]): string[] {
      return killChainPhases(
        mappings.map((m) => m.id),
        index,
      )
    },
  }
}
