/**
 * STIX 2.1 ATT&CK bundle → compact `AttackData`, and the committed file's text layout.
 *
 * Owns: reading the ATT&CK STIX objects we use (x-mitre-matrix, x-mitre-tactic, attack-pattern,
 * x-mitre-detection-strategy, x-mitre-analytic, x-mitre-data-component and the `subtechnique-of`,
 * `revoked-by` and `detects` relationships), and `formatAttackData`, the one-record-per-line JSON
 * writer. Used by `scripts/compact-attack.ts` and by `load.node.ts` for a user's own bundle, so
 * both produce identical data.
 * Invariants: facts only (ids, names, shortnames, platforms, flags, links), never descriptions;
 * output is deterministic (sorted by id, tactics in matrix order) and independent of object order
 * in the bundle; every tactic shortname on a technique is a tactic of the matrix; relationships
 * whose ends are missing from the bundle are ignored. Throws `AttackStixError` only when the
 * input is not an ATT&CK bundle at all.
 * Never imports: React, Next, Node built-ins.
 */

import type {
  AttackAnalytic,
  AttackData,
  AttackDataComponent,
  AttackDetectionStrategy,
  AttackLogSource,
  AttackTactic,
  AttackTechnique,
} from "./model.ts"
import { compareIds } from "./model.ts"

/** Thrown when the input is not a STIX bundle holding an ATT&CK matrix. */
export class AttackStixError extends Error {
  override name = "AttackStixError"
}

export interface CompactOptions {
  /** ATT&CK release to record, overriding whatever the bundle says. */
  version?: string
  /**
   * Release to record when the bundle has no `x-mitre-collection` version (trimmed bundles, such
   * as the corpus copy, have none); callers pass `versionFromFileName(path)`.
   */
  fallbackVersion?: string
}

type StixObject = Record<string, unknown> & { type: string; id: string }

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []
}

/** The `mitre-attack` (or other `mitre-*`) external id of an object, e.g. `T1047`. */
function externalId(o: StixObject): string | undefined {
  const refs = Array.isArray(o.external_references) ? o.external_references : []
  for (const ref of refs) {
    if (!isRecord(ref)) continue
    const source = str(ref.source_name)
    const id = str(ref.external_id)
    if (source !== undefined && id !== undefined && /^mitre-(?:[a-z]+-)?attack$/.test(source)) return id
  }
  return undefined
}

/** ATT&CK release from a file name such as `enterprise-attack-18.1.json` → `18.1`. */
export function versionFromFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? ""
  return /-v?(\d+(?:\.\d+)*)\.json$/i.exec(base)?.[1]
}

/** Compacts an ATT&CK STIX 2.1 bundle (one domain) to `AttackData`. */
export function compactFromStix(bundle: unknown, options: CompactOptions = {}): AttackData {
  if (!isRecord(bundle) || bundle.type !== "bundle" || !Array.isArray(bundle.objects)) {
    throw new AttackStixError('not a STIX bundle: expected {"type": "bundle", "objects": [...]}')
  }
  const objects: StixObject[] = []
  for (const o of bundle.objects) {
    if (isRecord(o) && typeof o.type === "string" && typeof o.id === "string") objects.push(o as StixObject)
  }
  const byStixId = new Map<string, StixObject>()
  for (const o of objects) byStixId.set(o.id, o)
  const ofType = (type: string) => objects.filter((o) => o.type === type)

  const matrix = ofType("x-mitre-matrix").find((m) => m.revoked !== true && m.x_mitre_deprecated !== true)
  if (!matrix) throw new AttackStixError("not an ATT&CK bundle: no x-mitre-matrix object")
  const domain = externalId(matrix) ?? strings(matrix.x_mitre_domains)[0] ?? "unknown"

  const collection = ofType("x-mitre-collection")[0]
  const version =
    options.version ??
    (collection ? str(collection.x_mitre_version) : undefined) ??
    options.fallbackVersion ??
    "unknown"

  const tactics: AttackTactic[] = []
  for (const ref of strings(matrix.tactic_refs)) {
    const t = byStixId.get(ref)
    if (!t || t.type !== "x-mitre-tactic") continue
    const id = externalId(t)
    const name = str(t.name)
    const shortname = str(t.x_mitre_shortname)
    if (id === undefined || name === undefined || shortname === undefined) continue
    if (tactics.some((x) => x.shortname === shortname)) continue
    tactics.push({ id, name, shortname })
  }
  const tacticOrder = new Map(tactics.map((t, i) => [t.shortname, i]))

  // Techniques of this domain, keyed by STIX id.
  const patterns = new Map<string, { o: StixObject; id: string }>()
  for (const o of ofType("attack-pattern")) {
    const domains = strings(o.x_mitre_domains)
    if (domains.length > 0 && !domains.includes(domain)) continue
    const id = externalId(o)
    if (id === undefined || str(o.name) === undefined) continue
    patterns.set(o.id, { o, id: id.toUpperCase() })
  }

  const parentOf = new Map<string, string>()
  const revokedBy = new Map<string, string>()
  const detects = new Map<string, Set<string>>()
  for (const r of ofType("relationship")) {
    if (r.revoked === true) continue
    const source = str(r.source_ref)
    const target = str(r.target_ref)
    if (source === undefined || target === undefined) continue
    switch (r.relationship_type) {
      case "subtechnique-of": {
        const parent = patterns.get(target)
        if (patterns.has(source) && parent) parentOf.set(source, parent.id)
        break
      }
      case "revoked-by": {
        const replacement = patterns.get(target)
        if (patterns.has(source) && replacement) revokedBy.set(source, replacement.id)
        break
      }
      case "detects": {
        const technique = patterns.get(target)
        if (!technique || byStixId.get(source)?.type !== "x-mitre-detection-strategy") break
        const set = detects.get(source) ?? new Set<string>()
        set.add(technique.id)
        detects.set(source, set)
        break
      }
    }
  }

  const techniques: AttackTechnique[] = []
  for (const [stixId, { o, id }] of patterns) {
    const phases = Array.isArray(o.kill_chain_phases) ? o.kill_chain_phases : []
    const shortnames = new Set<string>()
    for (const p of phases) {
      const phase = isRecord(p) ? str(p.phase_name) : undefined
      if (phase !== undefined && tacticOrder.has(phase)) shortnames.add(phase)
    }
    const technique: AttackTechnique = {
      id,
      name: str(o.name) ?? id,
      tactics: [...shortnames].sort((a, b) => (tacticOrder.get(a) ?? 0) - (tacticOrder.get(b) ?? 0)),
    }
    // Some revoked sub-techniques lost their subtechnique-of relationship; the id still says it.
    const dot = id.indexOf(".")
    const parent = parentOf.get(stixId) ?? (dot > 0 ? id.slice(0, dot) : undefined)
    if (parent !== undefined) technique.parent = parent
    const platforms = strings(o.x_mitre_platforms)
    if (platforms.length > 0) technique.platforms = platforms
    if (o.x_mitre_deprecated === true) technique.deprecated = true
    if (o.revoked === true) technique.revoked = true
    const replacedBy = revokedBy.get(stixId)
    if (replacedBy !== undefined) technique.replacedBy = replacedBy
    techniques.push(technique)
  }
  techniques.sort((a, b) => compareIds(a.id, b.id))

  const detectionStrategies: AttackDetectionStrategy[] = []
  const analyticIds = new Set<string>()
  for (const o of ofType("x-mitre-detection-strategy")) {
    const detected = detects.get(o.id) ?? new Set<string>()
    const id = externalId(o)
    const name = str(o.name)
    if (id === undefined || name === undefined) continue
    const analytics: string[] = []
    for (const ref of strings(o.x_mitre_analytic_refs)) {
      const a = byStixId.get(ref)
      const aid = a?.type === "x-mitre-analytic" ? externalId(a) : undefined
      if (aid === undefined) continue
      analytics.push(aid)
      analyticIds.add(ref)
    }
    detectionStrategies.push({ id, name, techniques: [...detected].sort(compareIds), analytics })
  }
  detectionStrategies.sort((a, b) => compareIds(a.id, b.id))

  const analytics: AttackAnalytic[] = []
  const componentIds = new Set<string>()
  for (const ref of analyticIds) {
    const a = byStixId.get(ref)
    const id = a ? externalId(a) : undefined
    if (!a || id === undefined) continue
    const logSources: AttackLogSource[] = []
    const refs = Array.isArray(a.x_mitre_log_source_references) ? a.x_mitre_log_source_references : []
    for (const ls of refs) {
      if (!isRecord(ls)) continue
      const componentRef = str(ls.x_mitre_data_component_ref)
      const component = componentRef === undefined ? undefined : byStixId.get(componentRef)
      const dataComponent = component ? externalId(component) : undefined
      const name = str(ls.name)
      if (!component || dataComponent === undefined || name === undefined) continue
      componentIds.add(component.id)
      logSources.push({ dataComponent, name, channel: str(ls.channel) ?? "" })
    }
    analytics.push({ id, platforms: strings(a.x_mitre_platforms), logSources })
  }
  analytics.sort((a, b) => compareIds(a.id, b.id))

  const dataComponents: AttackDataComponent[] = []
  for (const ref of componentIds) {
    const c = byStixId.get(ref)
    const id = c ? externalId(c) : undefined
    const name = c ? str(c.name) : undefined
    if (id !== undefined && name !== undefined) dataComponents.push({ id, name })
  }
  dataComponents.sort((a, b) => compareIds(a.id, b.id))

  return { version, domain, tactics, techniques, detectionStrategies, analytics, dataComponents }
}

/**
 * The committed file's text: valid JSON with one record per line, so a new ATT&CK release shows
 * up in a diff as changed techniques rather than one changed line.
 */
export function formatAttackData(data: AttackData): string {
  const list = (items: readonly unknown[]) =>
    items.length === 0 ? "[]" : `[\n${items.map((i) => JSON.stringify(i)).join(",\n")}\n]`
  return (
    "{\n" +
    `"version": ${JSON.stringify(data.version)},\n` +
    `"domain": ${JSON.stringify(data.domain)},\n` +
    `"tactics": ${list(data.tactics)},\n` +
    `"techniques": ${list(data.techniques)},\n` +
    `"detectionStrategies": ${list(data.detectionStrategies)},\n` +
    `"analytics": ${list(data.analytics)},\n` +
    `"dataComponents": ${list(data.dataComponents)}\n` +
    "}\n"
  )
}
