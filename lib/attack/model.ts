/**
 * ATT&CK facts: the compact data shape and the pure lookups the catalog needs.
 *
 * Owns: the `AttackData` types (what `lib/attack/data/enterprise-attack.json` holds), the
 * case-insensitive index over it, technique resolution (known / revoked / deprecated / unknown),
 * tactic order, sub-techniques, detection strategies and analytics of a technique, and the
 * contentctl tactic → kill-chain phase table (contentctl v4.4.1, `ATTACK_TACTICS_KILLCHAIN_MAPPING`).
 * Invariants: facts only, never ATT&CK description text; every function is pure and total —
 * an unknown or malformed id yields `unknown` / an empty list, never a throw. Technique ids are
 * stored upper-case (`T1021.006`); tactic references are shortnames (`lateral-movement`).
 * Never imports: React, Next, Node built-ins, anything outside `lib/attack/`.
 */

/** One tactic (a column of the matrix). */
export interface AttackTactic {
  /** ATT&CK id, e.g. `TA0002`. */
  id: string
  /** Display name, e.g. `Command and Control`. */
  name: string
  /** The `x_mitre_shortname` techniques refer to in `kill_chain_phases`, e.g. `command-and-control`. */
  shortname: string
}

/** One technique or sub-technique, revoked and deprecated ones included (flagged). */
export interface AttackTechnique {
  /** ATT&CK id, upper-case, e.g. `T1047` or `T1021.006`. */
  id: string
  /** Display name, e.g. `Windows Remote Management` (no parent prefix). */
  name: string
  /** Tactic shortnames from the technique's own `kill_chain_phases`, in matrix order. */
  tactics: string[]
  /** Parent technique id, present only on sub-techniques, e.g. `T1021`. */
  parent?: string
  /** `x_mitre_platforms`, as listed, e.g. `["Windows", "Linux"]`. Absent when none. */
  platforms?: string[]
  /** Set when `x_mitre_deprecated` is true: withdrawn without a replacement. */
  deprecated?: true
  /** Set when `revoked` is true: superseded, usually by `replacedBy`. */
  revoked?: true
  /** Direct target of the technique's `revoked-by` relationship (may itself be revoked). */
  replacedBy?: string
}

/** An ATT&CK data component, referenced by analytics' log sources. */
export interface AttackDataComponent {
  /** ATT&CK id, e.g. `DC0032`. */
  id: string
  /** Display name, e.g. `Process Creation`. */
  name: string
}

/** One `x_mitre_log_source_references` entry of an analytic. */
export interface AttackLogSource {
  /** Data component id (see `AttackData.dataComponents`), e.g. `DC0032`. */
  dataComponent: string
  /** Log source name, e.g. `WinEventLog:Security` or `auditd:SYSCALL`. */
  name: string
  /** Channel or event filter within the source, e.g. `EventCode=4688`. */
  channel: string
}

/** One ATT&CK v18 analytic (`x-mitre-analytic`): a platform-specific detection recipe. */
export interface AttackAnalytic {
  /** ATT&CK id, e.g. `AN0110` (its name is always `Analytic 0110`, so it is not stored). */
  id: string
  /** `x_mitre_platforms`, e.g. `["Linux"]`. */
  platforms: string[]
  /** Log sources the analytic reads, as listed; empty when the bundle lists none. */
  logSources: AttackLogSource[]
}

/** One ATT&CK v18 detection strategy (`x-mitre-detection-strategy`). */
export interface AttackDetectionStrategy {
  /** ATT&CK id, e.g. `DET0103`. */
  id: string
  /** Display name. */
  name: string
  /** Ids of the techniques it `detects`, sorted. */
  techniques: string[]
  /** Ids of its analytics (`x_mitre_analytic_refs`), as listed. */
  analytics: string[]
}

/** The compact ATT&CK facts for one domain, as committed in `lib/attack/data/`. */
export interface AttackData {
  /** ATT&CK release, e.g. `18.1`; `unknown` when neither the bundle nor its file name says. */
  version: string
  /** Domain of the matrix, e.g. `enterprise-attack`. */
  domain: string
  /** Tactics in matrix order (the matrix's `tactic_refs`). */
  tactics: AttackTactic[]
  /** All techniques and sub-techniques, sorted by id. */
  techniques: AttackTechnique[]
  /** Detection strategies, sorted by id. Empty for bundles older than ATT&CK v18. */
  detectionStrategies: AttackDetectionStrategy[]
  /** Analytics referenced by the detection strategies, sorted by id. */
  analytics: AttackAnalytic[]
  /** Data components referenced by analytics' log sources, sorted by id. */
  dataComponents: AttackDataComponent[]
}

/** Lookup tables over one `AttackData`. Build once with `buildAttackIndex`. */
export interface AttackIndex {
  data: AttackData
  /** Techniques by upper-case id. */
  techniques: ReadonlyMap<string, AttackTechnique>
  /** Tactics by shortname. */
  tactics: ReadonlyMap<string, AttackTactic>
  /** Matrix position of each tactic shortname (0-based). */
  tacticOrder: ReadonlyMap<string, number>
  /** Sub-techniques by parent id, sorted by id. */
  children: ReadonlyMap<string, readonly AttackTechnique[]>
  /** Detection strategies by technique id, sorted by strategy id. */
  strategiesByTechnique: ReadonlyMap<string, readonly AttackDetectionStrategy[]>
  /** Analytics by id. */
  analytics: ReadonlyMap<string, AttackAnalytic>
  /** Data components by id. */
  dataComponents: ReadonlyMap<string, AttackDataComponent>
}

/** How an id resolved against the data. */
export type TechniqueStatus = "known" | "revoked" | "deprecated" | "unknown"

export interface TechniqueResolution {
  status: TechniqueStatus
  /** The technique the id names; absent when `unknown`. */
  technique?: AttackTechnique
  /**
   * For a revoked technique: the end of its `revoked-by` chain (T1150 → T1547.011 → T1647 gives
   * T1647). Absent when the chain leads outside the data or loops.
   */
  replacement?: AttackTechnique
}

/** Cyber kill-chain phases used by contentctl, in their sorted order. */
export const KILL_CHAIN_PHASES = [
  "Actions on Objectives",
  "Command and Control",
  "Delivery",
  "Exploitation",
  "Installation",
  "Reconnaissance",
  "Weaponization",
] as const

export type KillChainPhase = (typeof KILL_CHAIN_PHASES)[number]

/**
 * contentctl's `ATTACK_TACTICS_KILLCHAIN_MAPPING` keyed by tactic shortname. `stealth` and `defense-impairment` are ATT&CK 19 tactics, mapped ahead of time.
 */
export const KILL_CHAIN_BY_TACTIC: Readonly<Record<string, KillChainPhase>> = {
  reconnaissance: "Reconnaissance",
  "resource-development": "Weaponization",
  "initial-access": "Delivery",
  execution: "Installation",
  persistence: "Installation",
  "privilege-escalation": "Exploitation",
  "defense-evasion": "Exploitation",
  "credential-access": "Exploitation",
  discovery: "Exploitation",
  "lateral-movement": "Exploitation",
  collection: "Exploitation",
  stealth: "Exploitation",
  "defense-impairment": "Exploitation",
  "command-and-control": "Command and Control",
  exfiltration: "Actions on Objectives",
  impact: "Actions on Objectives",
}

/** Plain code-unit order, like Python's `sorted()`; independent of the locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Canonical form of a technique id as users write it: trimmed, upper-case (`t1047` → `T1047`). */
export function normalizeTechniqueId(id: string): string {
  return id.trim().toUpperCase()
}

/** Tactic shortname from a shortname or a display name (`Command And Control` → `command-and-control`). */
export function tacticShortname(tactic: string): string {
  return tactic
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
}

/** Builds the lookup tables. Duplicate ids keep the first record. */
export function buildAttackIndex(data: AttackData): AttackIndex {
  const techniques = new Map<string, AttackTechnique>()
  for (const t of data.techniques) {
    const id = normalizeTechniqueId(t.id)
    if (!techniques.has(id)) techniques.set(id, t)
  }
  const tactics = new Map<string, AttackTactic>()
  const tacticOrder = new Map<string, number>()
  data.tactics.forEach((t, i) => {
    if (tactics.has(t.shortname)) return
    tactics.set(t.shortname, t)
    tacticOrder.set(t.shortname, i)
  })
  const children = new Map<string, AttackTechnique[]>()
  for (const t of techniques.values()) {
    if (t.parent === undefined) continue
    const parent = normalizeTechniqueId(t.parent)
    const list = children.get(parent)
    if (list) list.push(t)
    else children.set(parent, [t])
  }
  for (const list of children.values()) list.sort((a, b) => compareIds(a.id, b.id))
  const strategiesByTechnique = new Map<string, AttackDetectionStrategy[]>()
  for (const s of data.detectionStrategies) {
    for (const tid of s.techniques) {
      const id = normalizeTechniqueId(tid)
      const list = strategiesByTechnique.get(id)
      if (list) list.push(s)
      else strategiesByTechnique.set(id, [s])
    }
  }
  for (const list of strategiesByTechnique.values()) list.sort((a, b) => compareIds(a.id, b.id))
  return {
    data,
    techniques,
    tactics,
    tacticOrder,
    children,
    strategiesByTechnique,
    analytics: new Map(data.analytics.map((a) => [a.id, a])),
    dataComponents: new Map(data.dataComponents.map((c) => [c.id, c])),
  }
}

/** The technique with this id (any case, surrounding spaces ignored), flagged ones included. */
export function getTechnique(index: AttackIndex, id: string): AttackTechnique | undefined {
  return index.techniques.get(normalizeTechniqueId(id))
}

/** Classifies an id and, for a revoked technique, follows `replacedBy` to a live replacement. */
export function resolveTechnique(index: AttackIndex, id: string): TechniqueResolution {
  const technique = getTechnique(index, id)
  if (!technique) return { status: "unknown" }
  if (technique.revoked) {
    const replacement = followReplacement(index, technique)
    return replacement ? { status: "revoked", technique, replacement } : { status: "revoked", technique }
  }
  if (technique.deprecated) return { status: "deprecated", technique }
  return { status: "known", technique }
}

function followReplacement(index: AttackIndex, start: AttackTechnique): AttackTechnique | undefined {
  const seen = new Set<string>([start.id])
  let current = start
  while (current.revoked) {
    if (current.replacedBy === undefined) return undefined
    const next = getTechnique(index, current.replacedBy)
    if (!next || seen.has(next.id)) return undefined
    seen.add(next.id)
    current = next
  }
  return current
}

/** Tactics in matrix order. */
export function tacticsInOrder(index: AttackIndex): AttackTactic[] {
  return [...index.tactics.values()].sort(
    (a, b) => (index.tacticOrder.get(a.shortname) ?? 0) - (index.tacticOrder.get(b.shortname) ?? 0),
  )
}

/** 0-based matrix position of a tactic (shortname or display name); `-1` when not in the matrix. */
export function tacticPosition(index: AttackIndex, tactic: string): number {
  return index.tacticOrder.get(tacticShortname(tactic)) ?? -1
}

/**
 * The tactics of a technique, in matrix order. A sub-technique has its own `kill_chain_phases`
 * and those are used as listed; only if it lists none does it inherit its parent's.
 * Unknown id → `[]`.
 */
export function tacticsOf(index: AttackIndex, id: string): AttackTactic[] {
  const technique = getTechnique(index, id)
  if (!technique) return []
  let shortnames = technique.tactics
  if (shortnames.length === 0 && technique.parent !== undefined) {
    shortnames = getTechnique(index, technique.parent)?.tactics ?? []
  }
  const out: AttackTactic[] = []
  for (const s of shortnames) {
    const tactic = index.tactics.get(s)
    if (tactic && !out.includes(tactic)) out.push(tactic)
  }
  return out.sort((a, b) => (index.tacticOrder.get(a.shortname) ?? 0) - (index.tacticOrder.get(b.shortname) ?? 0))
}

/**
 * Sub-techniques of a parent, sorted by id. Revoked and deprecated ones are left out unless
 * `includeInactive` is set. Unknown id or a technique without children → `[]`.
 */
export function subTechniquesOf(
  index: AttackIndex,
  parentId: string,
  options: { includeInactive?: boolean } = {},
): AttackTechnique[] {
  const list = index.children.get(normalizeTechniqueId(parentId)) ?? []
  return options.includeInactive ? [...list] : list.filter((t) => !t.revoked && !t.deprecated)
}

/** The kill-chain phase of a tactic (shortname or display name, any case); `undefined` if unmapped. */
export function killChainPhaseOf(tactic: string): KillChainPhase | undefined {
  const key = tacticShortname(tactic)
  return Object.hasOwn(KILL_CHAIN_BY_TACTIC, key) ? KILL_CHAIN_BY_TACTIC[key] : undefined
}

/**
 * contentctl's derived `kill_chain_phases`: the phases of every tactic of every id, unique and
 * sorted (contentctl v4.4.1, `ATTACK_TACTICS_KILLCHAIN_MAPPING`). Ids resolve case-insensitively; revoked and deprecated techniques
 * count with their own listed tactics; unknown ids are skipped (contentctl would fail the build).
 */
export function killChainPhases(techniqueIds: readonly string[], index: AttackIndex): KillChainPhase[] {
  const phases = new Set<KillChainPhase>()
  for (const id of techniqueIds) {
    for (const tactic of tacticsOf(index, id)) {
      const phase = killChainPhaseOf(tactic.shortname)
      if (phase) phases.add(phase)
    }
  }
  return [...phases].sort(compareIds)
}

/** Detection strategies that `detect` the technique, sorted by id. Unknown id → `[]`. */
export function detectionStrategiesOf(index: AttackIndex, id: string): AttackDetectionStrategy[] {
  return [...(index.strategiesByTechnique.get(normalizeTechniqueId(id)) ?? [])]
}

/** An analytic with its log sources' data component names filled in. */
export interface ResolvedAnalytic extends AttackAnalytic {
  /** The detection strategy the analytic belongs to. */
  strategy: string
  logSources: Array<AttackLogSource & { dataComponentName?: string }>
}

/** Analytics of every detection strategy of the technique, in strategy then listed order. */
export function analyticsOf(index: AttackIndex, id: string): ResolvedAnalytic[] {
  const out: ResolvedAnalytic[] = []
  for (const strategy of detectionStrategiesOf(index, id)) {
    for (const analyticId of strategy.analytics) {
      const analytic = index.analytics.get(analyticId)
      if (!analytic) continue
      out.push({
        ...analytic,
        strategy: strategy.id,
        logSources: analytic.logSources.map((ls) => {
          const component = index.dataComponents.get(ls.dataComponent)
          return component ? { ...ls, dataComponentName: component.name } : { ...ls }
        }),
      })
    }
  }
  return out
}

/** Thrown by `assertAttackData` when a value is not the compact shape. */
export class AttackDataError extends Error {
  override name = "AttackDataError"
}

/**
 * Checks the top-level shape of compact data read from disk (not every record: the committed
 * file is generated and covered by a test). Throws `AttackDataError`.
 */
export function assertAttackData(value: unknown): asserts value is AttackData {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new AttackDataError("ATT&CK data must be a JSON object")
  }
  const v = value as Record<string, unknown>
  for (const key of ["version", "domain"]) {
    if (typeof v[key] !== "string") throw new AttackDataError(`ATT&CK data: "${key}" must be a string`)
  }
  for (const key of ["tactics", "techniques", "detectionStrategies", "analytics", "dataComponents"]) {
    if (!Array.isArray(v[key])) throw new AttackDataError(`ATT&CK data: "${key}" must be an array`)
  }
}
