/**
 * Technique coverage: which rules cover which ATT&CK technique, under facet filters.
 *
 * Owns: the technique → rule-number map (rule numbers index the caller's rule list), the compact
 * facet table the /attack/ matrix filters in the browser, the cell counts of the matrix (a rule
 * mapping a sub-technique also counts toward its parent's cell, flagged), the shade levels of
 * the heat map, and the list of unknown / revoked / deprecated ids rules use.
 * Invariants: pure and total; ids are compared upper-case; rule numbers are positions in the
 * `CoverageRule[]` given, so they stay valid on the client as long as the same list is shipped.
 * Never imports: React, Next, Node built-ins, anything outside `lib/attack/`.
 */
import {
  compareIds,
  getTechnique,
  normalizeTechniqueId,
  resolveTechnique,
  subTechniquesOf,
  tacticsInOrder,
  tacticsOf,
  type AttackIndex,
} from "./model.ts"

/** What coverage needs of a rule (structurally satisfied by a catalog summary). */
export interface CoverageRule {
  format: string
  type: string
  status: string
  /** Security domain, `""` when none. */
  domain: string
  dataSources: string[]
  /** Technique ids as the rule writes them. */
  techniques: string[]
}

/** Facet filter; an empty or absent value means "any". */
export interface CoverageFilter {
  format?: string
  type?: string
  status?: string
  domain?: string
  dataSource?: string
}

export const FACET_KEYS = ["format", "type", "status", "domain", "dataSource"] as const
export type FacetKey = (typeof FACET_KEYS)[number]

export function ruleMatches(rule: CoverageRule, f: CoverageFilter): boolean {
  return (
    (!f.format || rule.format === f.format) &&
    (!f.type || rule.type === f.type) &&
    (!f.status || rule.status === f.status) &&
    (!f.domain || rule.domain === f.domain) &&
    (!f.dataSource || rule.dataSources.includes(f.dataSource))
  )
}

/** Technique id (upper-case) → numbers of the rules mapping it directly, ascending, no duplicates. */
export function techniqueRuleMap(rules: readonly CoverageRule[]): Record<string, number[]> {
  const map: Record<string, number[]> = {}
  rules.forEach((r, i) => {
    for (const raw of r.techniques) {
      const id = normalizeTechniqueId(raw)
      if (!id) continue
      const list = (map[id] ??= [])
      if (list[list.length - 1] !== i) list.push(i)
    }
  })
  return map
}

/**
 * Facets as index tables: `values[key]` lists each facet's values (sorted), and each rule row is
 * `[format, type, status, domain, ...dataSources]` as positions in those lists (domain `-1` when
 * none). About 10 numbers per rule, so the whole corpus ships to the matrix page.
 */
export interface CompactFacets {
  values: Record<FacetKey, string[]>
  rows: number[][]
}

export function compactFacets(rules: readonly CoverageRule[]): CompactFacets {
  const sets: Record<FacetKey, Set<string>> = {
    format: new Set(),
    type: new Set(),
    status: new Set(),
    domain: new Set(),
    dataSource: new Set(),
  }
  for (const r of rules) {
    sets.format.add(r.format)
    sets.type.add(r.type)
    sets.status.add(r.status)
    if (r.domain) sets.domain.add(r.domain)
    for (const d of r.dataSources) sets.dataSource.add(d)
  }
  const values = Object.fromEntries(
    FACET_KEYS.map((k) => [k, [...sets[k]].sort((a, b) => a.localeCompare(b, "en"))]),
  ) as Record<FacetKey, string[]>
  const pos = Object.fromEntries(FACET_KEYS.map((k) => [k, new Map(values[k].map((v, i) => [v, i]))])) as Record<
    FacetKey,
    Map<string, number>
  >
  const rows = rules.map((r) => [
    pos.format.get(r.format) ?? -1,
    pos.type.get(r.type) ?? -1,
    pos.status.get(r.status) ?? -1,
    r.domain ? (pos.domain.get(r.domain) ?? -1) : -1,
    ...r.dataSources.map((d) => pos.dataSource.get(d) ?? -1),
  ])
  return { values, rows }
}

/** `ruleMatches` over a compact row. */
export function rowMatches(row: readonly number[], values: CompactFacets["values"], f: CoverageFilter): boolean {
  const at = (key: FacetKey, i: number | undefined) => (i === undefined || i < 0 ? "" : (values[key][i] ?? ""))
  if (f.format && at("format", row[0]) !== f.format) return false
  if (f.type && at("type", row[1]) !== f.type) return false
  if (f.status && at("status", row[2]) !== f.status) return false
  if (f.domain && at("domain", row[3]) !== f.domain) return false
  if (f.dataSource && !row.slice(4).some((i) => at("dataSource", i) === f.dataSource)) return false
  return true
}

/** Rule numbers kept by a filter over compact rows. */
export function selectRows(facets: CompactFacets, f: CoverageFilter): Set<number> {
  const out = new Set<number>()
  facets.rows.forEach((row, i) => {
    if (rowMatches(row, facets.values, f)) out.add(i)
  })
  return out
}

/** One cell of the matrix. */
export interface CellCount {
  /** Selected rules mapping the technique itself. */
  direct: number
  /** Selected rules mapping it or any of its sub-techniques (each rule once). */
  total: number
  /** True when some of `total` come only from sub-techniques. */
  viaSub: boolean
}

/**
 * Counts for one technique over the selected rules. `subIds` are its sub-techniques; a rule that
 * maps both parent and sub counts once.
 */
export function cellCount(
  map: Readonly<Record<string, readonly number[]>>,
  id: string,
  subIds: readonly string[],
  selected: ReadonlySet<number> | undefined,
): CellCount {
  const keep = (i: number) => !selected || selected.has(i)
  const directList = (map[normalizeTechniqueId(id)] ?? []).filter(keep)
  const all = new Set(directList)
  for (const s of subIds) for (const i of map[normalizeTechniqueId(s)] ?? []) if (keep(i)) all.add(i)
  return { direct: directList.length, total: all.size, viaSub: all.size > directList.length }
}

/**
 * Heat map thresholds: level n when count ≥ SHADE_THRESHOLDS[n-1]; level 0 is "no rule". Steps
 * grow about threefold (log scale): a catalog of thousands puts hundreds of rules on a handful of
 * techniques, and the scale must still tell 1 from 500.
 */
export const SHADE_THRESHOLDS = [1, 3, 10, 30, 100, 300] as const

export function shadeLevel(count: number): number {
  let level = 0
  SHADE_THRESHOLDS.forEach((t, i) => {
    if (count >= t) level = i + 1
  })
  return level
}

/** Legend rows for the shade levels: label and level. */
export function shadeLegend(): Array<{ level: number; label: string }> {
  const out = [{ level: 0, label: "no rule" }]
  SHADE_THRESHOLDS.forEach((t, i) => {
    const next = SHADE_THRESHOLDS[i + 1]
    const label =
      next === undefined ? `${t}+ rules` : next - 1 === t ? `${t} rule${t === 1 ? "" : "s"}` : `${t}–${next - 1} rules`
    out.push({ level: i + 1, label })
  })
  return out
}

/** The matrix skeleton: tactics in ATT&CK order, live techniques by name, their live sub-techniques. */
export interface MatrixShape {
  tactics: Array<{ id: string; shortname: string; name: string; techniques: string[] }>
  /** Names of every technique and sub-technique in the shape. */
  names: Record<string, string>
  /** Live sub-techniques by parent id (only parents that have some). */
  subs: Record<string, string[]>
}

export function matrixShape(index: AttackIndex): MatrixShape {
  const names: Record<string, string> = {}
  const subs: Record<string, string[]> = {}
  const byTactic = new Map<string, Array<{ id: string; name: string }>>()
  for (const t of index.techniques.values()) {
    if (t.revoked || t.deprecated || t.parent !== undefined) continue
    names[t.id] = t.name
    const children = subTechniquesOf(index, t.id)
    if (children.length > 0) {
      subs[t.id] = children.map((c) => c.id)
      for (const c of children) names[c.id] = c.name
    }
    for (const tactic of tacticsOf(index, t.id)) {
      const list = byTactic.get(tactic.shortname) ?? []
      list.push({ id: t.id, name: t.name })
      byTactic.set(tactic.shortname, list)
    }
  }
  const tactics = tacticsInOrder(index).map((t) => ({
    id: t.id,
    shortname: t.shortname,
    name: t.name,
    techniques: (byTactic.get(t.shortname) ?? [])
      .sort((a, b) => a.name.localeCompare(b.name, "en") || compareIds(a.id, b.id))
      .map((x) => x.id),
  }))
  return { tactics, names, subs }
}

/** An id rules use that is not a live technique. */
export interface FlaggedId {
  id: string
  status: "unknown" | "revoked" | "deprecated"
  name?: string
  replacement?: { id: string; name: string }
  /** Numbers of the rules using it. */
  rules: number[]
}

export function flaggedIds(index: AttackIndex, map: Readonly<Record<string, readonly number[]>>): FlaggedId[] {
  const out: FlaggedId[] = []
  for (const id of Object.keys(map).sort(compareIds)) {
    const r = resolveTechnique(index, id)
    if (r.status === "known") continue
    out.push({
      id,
      status: r.status,
      ...(r.technique ? { name: r.technique.name } : {}),
      ...(r.replacement ? { replacement: { id: r.replacement.id, name: r.replacement.name } } : {}),
      rules: [...(map[id] ?? [])],
    })
  }
  return out
}

/** Live technique ids the map covers directly (known status only), sorted. */
export function coveredTechniques(
  index: AttackIndex,
  map: Readonly<Record<string, readonly number[]>>,
  selected?: ReadonlySet<number>,
): string[] {
  return Object.keys(map)
    .filter((id) => {
      const t = getTechnique(index, id)
      return t && !t.revoked && !t.deprecated && (map[id] ?? []).some((i) => !selected || selected.has(i))
    })
    .sort(compareIds)
}
