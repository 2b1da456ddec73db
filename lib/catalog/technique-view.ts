/**
 * ATT&CK views over the catalog: the /attack/ matrix props, technique and tactic pages, the home
 * page heat strip and the rule list Navigator exports need.
 *
 * Owns: turning `Detection`s into `CoverageRule`s, the static params of technique pages, and the
 * match between ATT&CK v18 analytics' log sources and the data sources rules read.
 * Invariants: pure; rule numbers are positions in `catalog.detections`; technique URL segments
 * are lower-case ids (`t1021.006`).
 * Never imports: React, Next, Node built-ins.
 */
import {
  cellCount,
  compactFacets,
  coveredTechniques,
  flaggedIds,
  matrixShape,
  shadeLevel,
  techniqueRuleMap,
  type CompactFacets,
  type CoverageRule,
  type FlaggedId,
  type MatrixShape,
} from "../attack/coverage.ts"
import {
  analyticsOf,
  compareIds,
  detectionStrategiesOf,
  getTechnique,
  normalizeTechniqueId,
  resolveTechnique,
  subTechniquesOf,
  tacticsInOrder,
  tacticsOf,
  type AttackIndex,
  type TechniqueStatus,
} from "../attack/model.ts"
import { buildNavigatorLayer, type NavigatorLayer } from "../attack/navigator.ts"
import type { DataSource, Detection } from "./types.ts"
import { ruleEventCoverage, rulePath, type CatalogIndex } from "./views.ts"

export function coverageRule(d: Detection): CoverageRule {
  return {
    format: d.format,
    type: d.type,
    status: d.status,
    domain: d.securityDomain ?? "",
    dataSources: d.dataSources,
    techniques: d.attack.map((a) => a.id),
  }
}

/** URL of a technique page, without the base path. */
export function techniquePath(id: string): string {
  return `/techniques/${normalizeTechniqueId(id).toLowerCase()}/`
}

export function tacticPath(shortname: string): string {
  return `/tactics/${shortname}/`
}

const mapCache = new WeakMap<CatalogIndex, Record<string, number[]>>()

/** Technique → rule numbers for the whole catalog, memoised per catalog index. */
export function catalogTechniqueMap(index: CatalogIndex): Record<string, number[]> {
  let map = mapCache.get(index)
  if (!map) {
    map = techniqueRuleMap(index.catalog.detections.map(coverageRule))
    mapCache.set(index, map)
  }
  return map
}

/** Everything the /attack/ client island needs, compact: no rule text. */
export interface MatrixData {
  attackVersion: string
  shape: MatrixShape
  /** Technique id → rule numbers (direct mappings). */
  map: Record<string, number[]>
  facets: CompactFacets
  flagged: FlaggedId[]
}

export function attackMatrixData(attack: AttackIndex, index: CatalogIndex): MatrixData {
  const rules = index.catalog.detections.map(coverageRule)
  const map = catalogTechniqueMap(index)
  return {
    attackVersion: attack.data.version,
    shape: matrixShape(attack),
    map,
    facets: compactFacets(rules),
    flagged: flaggedIds(attack, map),
  }
}

/**
 * The catalog's headline counts, defined once so every page shows the same number for the same
 * thing. `techniques`: live ATT&CK techniques and sub-techniques of the loaded release that at
 * least one rule maps to directly (what the matrix counts as covered); `flaggedTechniques`: ids
 * rules use that the release does not hold as live (unknown, revoked, deprecated), shown apart.
 * `dataSources`: data source files loaded; `dataSourcesRead`: those at least one rule names;
 * `unresolvedDataSources`: names rules use that no file defines.
 */
export interface HeadlineCounts {
  rules: number
  techniques: number
  flaggedTechniques: number
  dataSources: number
  dataSourcesRead: number
  unresolvedDataSources: number
}

export function headlineCounts(attack: AttackIndex, index: CatalogIndex): HeadlineCounts {
  const map = catalogTechniqueMap(index)
  const c = index.catalog
  return {
    rules: c.detections.length,
    techniques: coveredTechniques(attack, map).length,
    flaggedTechniques: flaggedIds(attack, map).length,
    dataSources: c.dataSources.length,
    dataSourcesRead: new Set(
      [...index.rulesByDataSource.keys()].flatMap((n) => index.dataSourceByName.get(n)?.slug ?? []),
    ).size,
    unresolvedDataSources: c.unresolvedDataSources.length,
  }
}

/** `[name, path]` of every rule, in catalog order: what a matrix layer download fetches. */
export function layerRuleList(index: CatalogIndex): Array<[string, string]> {
  return index.catalog.detections.map((d) => [d.name, rulePath(d)])
}

/** Lower-case ids of every live technique and every id a rule uses (unknown ones included). */
export function techniqueParams(attack: AttackIndex, index: CatalogIndex): string[] {
  const ids = new Set<string>()
  for (const t of attack.techniques.values()) if (!t.revoked && !t.deprecated) ids.add(t.id)
  for (const id of Object.keys(catalogTechniqueMap(index))) ids.add(id)
  return [...ids].sort(compareIds).map((id) => id.toLowerCase())
}

export interface TechniqueRuleRow {
  format: Detection["format"]
  slug: string
  name: string
  type: string
  status: string
  /** Set when the rule maps a sub-technique of this technique rather than the technique itself. */
  viaSub?: string
}

export interface LogSourceRow {
  name: string
  channel: string
  dataComponent?: string
  /** Data source names, read by this technique's rules, that match the log source. */
  matchedBy: string[]
}

export interface TechniqueView {
  id: string
  name?: string
  status: TechniqueStatus
  replacement?: { id: string; name: string }
  platforms: string[]
  tactics: Array<{ shortname: string; name: string }>
  parent?: { id: string; name: string; rules: number }
  subs: Array<{ id: string; name: string; rules: number }>
  rules: TechniqueRuleRow[]
  events: Array<{ provider: string; event: string; title: string; dataSource: string; slug?: string; rules: number }>
  strategies: Array<{
    id: string
    name: string
    analytics: Array<{ id: string; platforms: string[]; logSources: LogSourceRow[] }>
  }>
  layer: NavigatorLayer
}

/**
 * Whether a data source reads the events an ATT&CK log source names. The rule, kept simple:
 * - `WinEventLog:<Channel>` (Sysmon, Security, PowerShell, System): the data source must be a
 *   Windows event log source of the same channel (its `source` after `XmlWinEventLog:` and
 *   without `Microsoft-Windows-` / `/Operational`), and when the ATT&CK channel names event codes
 *   (`EventCode=3, 22`) the data source's event id must be one of them.
 * - anything else (`AWS:CloudTrail`, `Okta:SystemLog`): every word of the log source name must
 *   appear in the data source's name, source or sourcetype (letters and digits only, any case),
 *   and when the data source is one event (`ConsoleLogin`) the ATT&CK channel must mention it.
 */
export function logSourceMatches(ls: { name: string; channel: string }, ds: DataSource): boolean {
  const win = /^WinEventLog:(.+)$/i.exec(ls.name.trim())
  if (win) {
    if (!/^(Xml)?WinEventLog:/i.test(ds.source)) return false
    const channel = ds.source
      .replace(/^(Xml)?WinEventLog:/i, "")
      .replace(/^Microsoft-Windows-/i, "")
      .replace(/\/(Operational|Admin)$/i, "")
    if (channel.toLowerCase() !== (win[1] ?? "").trim().toLowerCase()) return false
    const codes: string[] = /EventCode|EventID/i.test(ls.channel) ? (ls.channel.match(/\d+/g) ?? []) : []
    if (codes.length === 0) return true
    const event = /(\d+)/.exec(ds.coverage.event)?.[1]
    return event !== undefined && codes.includes(event)
  }
  const flat = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "")
  const hay = flat(`${ds.name} ${ds.source} ${ds.sourcetype}`)
  const words = ls.name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map(flat)
  if (words.length === 0 || !words.every((w) => hay.includes(w))) return false
  const event = ds.coverage.event
  if (!event || event === "any" || /^Event ID/.test(event)) return true
  return flat(ls.channel).includes(flat(event))
}

function ruleRow(d: Detection, viaSub?: string): TechniqueRuleRow {
  return { format: d.format, slug: d.slug, name: d.name, type: d.type, status: d.status, ...(viaSub ? { viaSub } : {}) }
}

export function techniqueView(attack: AttackIndex, index: CatalogIndex, rawId: string): TechniqueView {
  const id = normalizeTechniqueId(rawId)
  const map = catalogTechniqueMap(index)
  const dets = index.catalog.detections
  const res = resolveTechnique(attack, id)
  const t = res.technique
  const liveSubs = subTechniquesOf(attack, id)
  // Sub-technique ids rules use, live or not, so no rule mapping a sub goes missing from the parent.
  const subIds = [
    ...new Set([...liveSubs.map((s) => s.id), ...Object.keys(map).filter((k) => k.startsWith(`${id}.`))]),
  ].sort(compareIds)
  const direct = map[id] ?? []
  const seen = new Set(direct)
  const rules: TechniqueRuleRow[] = direct.flatMap((i) => (dets[i] ? [ruleRow(dets[i])] : []))
  for (const s of subIds) {
    for (const i of map[s] ?? []) {
      if (seen.has(i) || !dets[i]) continue
      seen.add(i)
      rules.push(ruleRow(dets[i], s))
    }
  }
  rules.sort((a, b) => (a.viaSub ? 1 : 0) - (b.viaSub ? 1 : 0) || a.name.localeCompare(b.name, "en"))
  const parentId = t?.parent ?? (id.includes(".") ? id.split(".")[0] : undefined)
  const parent = parentId ? getTechnique(attack, parentId) : undefined

  const events = new Map<string, TechniqueView["events"][number]>()
  const readSources = new Map<string, DataSource>()
  for (const i of seen) {
    const d = dets[i]
    if (!d) continue
    for (const row of ruleEventCoverage(index, d)) {
      const key = `${row.provider}|${row.event}|${row.dataSource}`
      const e = events.get(key)
      if (e) e.rules++
      else
        events.set(key, {
          provider: row.provider,
          event: row.event,
          title: row.title,
          dataSource: row.dataSource,
          ...(row.slug ? { slug: row.slug } : {}),
          rules: 1,
        })
      const ds = index.dataSourceByName.get(row.dataSource)
      if (ds) readSources.set(ds.name, ds)
    }
  }
  const analytics = analyticsOf(attack, id)
  const strategies = detectionStrategiesOf(attack, id).map((s) => ({
    id: s.id,
    name: s.name,
    analytics: analytics
      .filter((a) => a.strategy === s.id)
      .map((a) => ({
        id: a.id,
        platforms: a.platforms,
        logSources: a.logSources.map((ls) => ({
          name: ls.name,
          channel: ls.channel,
          ...(ls.dataComponentName ? { dataComponent: ls.dataComponentName } : {}),
          matchedBy: [...readSources.values()].filter((ds) => logSourceMatches(ls, ds)).map((ds) => ds.name),
        })),
      })),
  }))

  const layerTechniques: Record<string, Array<{ name: string; url: string }>> = {}
  for (const key of [id, ...subIds]) {
    const list = (map[key] ?? []).flatMap((i) => (dets[i] ? [{ name: dets[i].name, url: rulePath(dets[i]) }] : []))
    if (list.length > 0 && resolveTechnique(attack, key).status === "known") layerTechniques[key] = list
  }
  return {
    id,
    ...(t ? { name: t.name } : {}),
    status: res.status,
    ...(res.replacement ? { replacement: { id: res.replacement.id, name: res.replacement.name } } : {}),
    platforms: t?.platforms ?? [],
    tactics: tacticsOf(attack, id).map((x) => ({ shortname: x.shortname, name: x.name })),
    ...(parent
      ? {
          parent: {
            id: parent.id,
            name: parent.name,
            rules: cellCount(
              map,
              parent.id,
              subTechniquesOf(attack, parent.id).map((s) => s.id),
              undefined,
            ).total,
          },
        }
      : {}),
    subs: subIds.map((s) => ({
      id: s,
      name: getTechnique(attack, s)?.name ?? "not in ATT&CK data",
      rules: (map[s] ?? []).length,
    })),
    rules,
    events: [...events.values()].sort(
      (a, b) => b.rules - a.rules || a.provider.localeCompare(b.provider) || a.event.localeCompare(b.event),
    ),
    strategies,
    layer: buildNavigatorLayer({
      name: `Detection Atlas: ${id}${t ? ` ${t.name}` : ""}`,
      description: `Rules of the catalog covering ${id} and its sub-techniques.`,
      attackVersion: attack.data.version,
      techniques: layerTechniques,
    }),
  }
}

export interface TacticView {
  id: string
  shortname: string
  name: string
  techniques: Array<{
    id: string
    name: string
    rules: number
    viaSub: boolean
    subs: Array<{ id: string; name: string; rules: number }>
  }>
}

export function tacticView(attack: AttackIndex, index: CatalogIndex, shortname: string): TacticView | undefined {
  const tactic = attack.tactics.get(shortname)
  if (!tactic) return undefined
  const shape = matrixShape(attack)
  const map = catalogTechniqueMap(index)
  const column = shape.tactics.find((t) => t.shortname === shortname)
  return {
    id: tactic.id,
    shortname,
    name: tactic.name,
    techniques: (column?.techniques ?? []).map((id) => {
      const subs = shape.subs[id] ?? []
      const c = cellCount(map, id, subs, undefined)
      return {
        id,
        name: shape.names[id] ?? id,
        rules: c.total,
        viaSub: c.viaSub,
        subs: subs.map((s) => ({ id: s, name: shape.names[s] ?? s, rules: (map[s] ?? []).length })),
      }
    }),
  }
}

/** The home page heat strip: one row per tactic, one shade level per technique. */
export function heatStrip(
  attack: AttackIndex,
  index: CatalogIndex,
): Array<{ shortname: string; name: string; covered: number; levels: number[] }> {
  const shape = matrixShape(attack)
  const map = catalogTechniqueMap(index)
  return shape.tactics.map((t) => {
    const counts = t.techniques.map((id) => cellCount(map, id, shape.subs[id] ?? [], undefined).total)
    return {
      shortname: t.shortname,
      name: t.name,
      covered: counts.filter((c) => c > 0).length,
      levels: counts.map(shadeLevel),
    }
  })
}

export function allTacticShortnames(attack: AttackIndex): string[] {
  return tacticsInOrder(attack).map((t) => t.shortname)
}
