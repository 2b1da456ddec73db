/**
 * ATT&CK Navigator layers (layer format 4.5) for coverage exports.
 *
 * Owns: building a layer from per-technique rule lists (score = rule count, comment = rule
 * names, links = rule pages), making its links absolute for a given origin, and checking the
 * fields the Navigator requires.
 * Invariants: pure; one technique entry per covered technique, sorted by id; a technique entry
 * applies to every tactic it belongs to (no `tactic` field) so the Navigator shows it in each
 * column; scores are integers ≥ 1.
 * Never imports: React, Next, Node built-ins, anything outside `lib/attack/`.
 */
import { compareIds } from "./model.ts"

export interface NavigatorLink {
  label: string
  url: string
}

export interface NavigatorTechnique {
  techniqueID: string
  tactic?: string
  score: number
  color?: string
  comment: string
  enabled: boolean
  showSubtechniques?: boolean
  links: NavigatorLink[]
  metadata?: Array<{ name: string; value: string }>
}

export interface NavigatorLayer {
  name: string
  versions: { attack: string; navigator: string; layer: string }
  domain: string
  description: string
  filters: { platforms: string[] }
  sorting: number
  layout: {
    layout: "side" | "flat" | "mini"
    aggregateFunction: "average" | "min" | "max" | "sum"
    showID: boolean
    showName: boolean
    showAggregateScores: boolean
    countUnscored: boolean
    expandedSubtechniques: "none" | "annotated" | "all"
  }
  hideDisabled: boolean
  techniques: NavigatorTechnique[]
  gradient: { colors: string[]; minValue: number; maxValue: number }
  legendItems: Array<{ label: string; color: string }>
  metadata: Array<{ name: string; value: string }>
  links: NavigatorLink[]
  showTacticRowBackground: boolean
  tacticRowBackground: string
  selectTechniquesAcrossTactics: boolean
  selectSubtechniquesWithParent: boolean
  selectVisibleTechniques: boolean
}

export const LAYER_VERSION = "4.5"
export const NAVIGATOR_VERSION = "5.1"
const PLATFORMS = [
  "Windows",
  "Linux",
  "macOS",
  "Network Devices",
  "ESXi",
  "PRE",
  "Containers",
  "IaaS",
  "SaaS",
  "Office Suite",
  "Identity Provider",
]
const GRADIENT = ["#e0f2fe", "#0369a1"]

/** A rule as a layer lists it. */
export interface LayerRule {
  name: string
  /** Rule page URL: absolute, or site-absolute (`/rules/...`) to be made absolute later. */
  url: string
}

export interface LayerInput {
  name: string
  description: string
  /** ATT&CK release of the data, e.g. `18.1`; the layer records the major version. */
  attackVersion: string
  domain?: string
  /** Covered technique id → the rules covering it. Ids with no rule are left out. */
  techniques: Record<string, readonly LayerRule[]>
  /** Sub-technique ids present, so their parents are shown expanded. */
  parentsWithSubs?: readonly string[]
}

/** The major ATT&CK version as the Navigator wants it (`18.1` → `18`). */
export function attackMajor(version: string): string {
  return /^(\d+)/.exec(version)?.[1] ?? version
}

export function buildNavigatorLayer(input: LayerInput): NavigatorLayer {
  const ids = Object.keys(input.techniques)
    .filter((id) => (input.techniques[id]?.length ?? 0) > 0)
    .sort(compareIds)
  const expand = new Set(
    input.parentsWithSubs ?? ids.filter((id) => id.includes(".")).map((id) => id.split(".")[0] ?? id),
  )
  const techniques: NavigatorTechnique[] = ids.map((id) => {
    const rules = input.techniques[id] ?? []
    return {
      techniqueID: id,
      score: rules.length,
      comment: rules.map((r) => r.name).join("; "),
      enabled: true,
      ...(expand.has(id) ? { showSubtechniques: true } : {}),
      links: rules.map((r) => ({ label: r.name, url: r.url })),
    }
  })
  const max = Math.max(1, ...techniques.map((t) => t.score))
  return {
    name: input.name,
    versions: { attack: attackMajor(input.attackVersion), navigator: NAVIGATOR_VERSION, layer: LAYER_VERSION },
    domain: input.domain ?? "enterprise-attack",
    description: input.description,
    filters: { platforms: PLATFORMS },
    sorting: 3,
    layout: {
      layout: "side",
      aggregateFunction: "max",
      showID: true,
      showName: true,
      showAggregateScores: false,
      countUnscored: false,
      expandedSubtechniques: "annotated",
    },
    hideDisabled: false,
    techniques,
    gradient: { colors: GRADIENT, minValue: 0, maxValue: max },
    legendItems: [
      { label: "1 rule", color: GRADIENT[0] ?? "#e0f2fe" },
      { label: `${max} rules`, color: GRADIENT[1] ?? "#0369a1" },
    ],
    metadata: [{ name: "generator", value: "Detection Atlas" }],
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: "#dddddd",
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  }
}

/** The layer with every site-absolute link (`/…`) prefixed with `origin` (e.g. `https://host/base`). */
export function absolutizeLayer(layer: NavigatorLayer, origin: string): NavigatorLayer {
  const fix = (url: string) => (url.startsWith("/") ? `${origin.replace(/\/$/, "")}${url}` : url)
  return {
    ...layer,
    techniques: layer.techniques.map((t) => ({ ...t, links: t.links.map((l) => ({ ...l, url: fix(l.url) })) })),
    links: layer.links.map((l) => ({ ...l, url: fix(l.url) })),
  }
}

/** File name for a layer download, e.g. `detection-atlas-t1047-layer.json`. */
export function layerFileName(slug: string): string {
  return `detection-atlas-${slug
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-|-$/g, "")}-layer.json`
}

/**
 * The required fields of the layer format 4.5 that the Navigator checks on import: name,
 * versions.layer, domain, techniques[].techniqueID, numeric scores. Returns the problems found.
 */
export function validateLayer(value: unknown): string[] {
  const problems: string[] = []
  if (typeof value !== "object" || value === null || Array.isArray(value)) return ["layer is not an object"]
  const v = value as Record<string, unknown>
  if (typeof v.name !== "string" || v.name === "") problems.push("name must be a non-empty string")
  const versions = v.versions as Record<string, unknown> | undefined
  if (typeof versions !== "object" || versions === null) problems.push("versions must be an object")
  else {
    if (versions.layer !== LAYER_VERSION) problems.push(`versions.layer must be "${LAYER_VERSION}"`)
    if (typeof versions.attack !== "string") problems.push("versions.attack must be a string")
    if (typeof versions.navigator !== "string") problems.push("versions.navigator must be a string")
  }
  if (!["enterprise-attack", "mobile-attack", "ics-attack"].includes(String(v.domain)))
    problems.push("domain must be an ATT&CK domain")
  if (!Array.isArray(v.techniques)) problems.push("techniques must be an array")
  else
    v.techniques.forEach((t: unknown, i) => {
      const e = t as Record<string, unknown>
      if (typeof e?.techniqueID !== "string" || !/^T\d{4}(\.\d{3})?$/.test(e.techniqueID))
        problems.push(`techniques[${i}].techniqueID is not a technique id`)
      if (e?.score !== undefined && (typeof e.score !== "number" || !Number.isFinite(e.score)))
        problems.push(`techniques[${i}].score must be a number`)
      if (e?.links !== undefined && !Array.isArray(e.links)) problems.push(`techniques[${i}].links must be an array`)
    })
  const gradient = v.gradient as Record<string, unknown> | undefined
  if (
    gradient !== undefined &&
    (!Array.isArray(gradient.colors) || typeof gradient.minValue !== "number" || typeof gradient.maxValue !== "number")
  )
    problems.push("gradient needs colors, minValue, maxValue")
  return problems
}
