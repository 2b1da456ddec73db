/**
 * ATT&CK rows for a rule page: one row per (tactic, technique), tactics in matrix order.
 *
 * Never imports: React, Next, Node built-ins.
 */
import { tacticPosition, type AttackIndex } from "../attack/model.ts"
import type { AttackMapping } from "./types.ts"

export interface AttackRow {
  tactic: string
  tacticId?: string
  id: string
  name?: string
  /** The parent technique's name for a sub-technique, as ATT&CK writes "Parent: Sub". */
  parentName?: string
  status: AttackMapping["status"]
  replacedBy?: string
  url: string
}

/** attack.mitre.org page of a technique id (`T1021.006` → `/techniques/T1021/006/`). */
export function attackUrl(id: string): string {
  return `https://attack.mitre.org/techniques/${id.replace(".", "/")}/`
}

export function attackRows(index: AttackIndex, mappings: AttackMapping[]): AttackRow[] {
  const rows: AttackRow[] = []
  for (const m of mappings) {
    const parentId = m.id.includes(".") ? m.id.split(".")[0] : undefined
    const parentName = parentId ? index.techniques.get(parentId)?.name : undefined
    const tactics = m.tactics.length > 0 ? m.tactics : [""]
    for (const t of tactics) {
      const tactic = index.tactics.get(t)
      rows.push({
        tactic: tactic?.name ?? (t || "Unknown"),
        tacticId: tactic?.id,
        id: m.id,
        name: m.name,
        parentName,
        status: m.status,
        replacedBy: m.replacedBy,
        url: attackUrl(m.id),
      })
    }
  }
  return rows.sort(
    (a, b) =>
      tacticPosition(index, shortOf(index, a.tactic)) - tacticPosition(index, shortOf(index, b.tactic)) ||
      a.id.localeCompare(b.id),
  )
}

function shortOf(index: AttackIndex, name: string): string {
  for (const t of index.tactics.values()) if (t.name === name) return t.shortname
  return name
}
