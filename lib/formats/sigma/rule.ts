/**
 * One Sigma YAML document → a validated rule: metadata checks (required attributes, id, status, level, date formats),
 * detection compilation, correlation documents labelled as not evaluable.
 *
 * Owns: which attribute problems are errors (the rule is not loaded) and which are warnings, and
 * the `SigmaRule` record the catalog turns into a Detection. Invariants: pure; never throws;
 * every issue carries the key path it concerns so the caller can position it in the file.
 * Never imports: React, Next, Node built-ins.
 */
import { compileDetection } from "./detection.ts"
import type { SigmaAnalysis, SigmaCorrelation, SigmaIssue, SigmaLogsource, SigmaRelated } from "./types.ts"

export const SIGMA_STATUSES = ["stable", "test", "experimental", "deprecated", "unsupported"] as const
export const SIGMA_LEVELS = ["informational", "low", "medium", "high", "critical"] as const
const RELATED_TYPES = new Set(["derived", "obsolete", "merged", "renamed", "similar", "correlation"])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/
const NAMESPACES = new Set(["attack", "car", "cve", "d3fend", "detection", "stp", "tlp"])

/** ATT&CK tactic short names Sigma tags use, v19's stealth and defense-impairment included. */
export const SIGMA_TACTICS = new Set([
  "reconnaissance",
  "resource-development",
  "initial-access",
  "execution",
  "persistence",
  "privilege-escalation",
  "defense-evasion",
  "stealth",
  "defense-impairment",
  "credential-access",
  "discovery",
  "lateral-movement",
  "collection",
  "command-and-control",
  "exfiltration",
  "impact",
])

/** A validated Sigma document, before it becomes a catalog Detection. */
export interface SigmaRule {
  id?: string
  title: string
  name?: string
  status?: string
  description: string
  author: string
  date?: string
  modified?: string
  references: string[]
  /** Technique ids from `attack.tNNNN[.NNN]` tags, upper-cased, in tag order. */
  techniques: string[]
  analysis: SigmaAnalysis
}

export interface RuleResult {
  rule?: SigmaRule
  issues: SigmaIssue[]
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

/** `date` / `modified` as YYYY-MM-DD (pySigma also accepts `YYYY/M/D`). */
export function normaliseDate(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(v.trim())
  if (!m) return undefined
  return `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}`
}

function stringList(doc: Record<string, unknown>, key: string, issues: SigmaIssue[]): string[] {
  const v = doc[key]
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) {
    issues.push({ severity: "error", code: "sigma-schema", message: `\`${key}\` must be a list`, at: [key] })
    return []
  }
  const out: string[] = []
  v.forEach((item, i) => {
    if (typeof item === "string" || typeof item === "number") out.push(String(item))
    else
      issues.push({
        severity: "error",
        code: "sigma-schema",
        message: `\`${key}\` items must be strings`,
        at: [key, i],
      })
  })
  return out
}

function optString(doc: Record<string, unknown>, key: string, issues: SigmaIssue[]): string | undefined {
  const v = doc[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== "string") {
    issues.push({ severity: "error", code: "sigma-schema", message: `\`${key}\` must be a string`, at: [key] })
    return undefined
  }
  return v
}

function readLogsource(doc: Record<string, unknown>, issues: SigmaIssue[]): SigmaLogsource {
  const ls = doc.logsource
  if (!isMap(ls)) {
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: "`logsource` must be a map with a category, product or service",
      at: ["logsource"],
    })
    return {}
  }
  const out: SigmaLogsource = {}
  for (const key of ["product", "category", "service", "definition"] as const) {
    const v = ls[key]
    if (v === undefined || v === null) continue
    if (typeof v !== "string")
      issues.push({
        severity: "error",
        code: "sigma-schema",
        message: `\`logsource.${key}\` must be a string`,
        at: ["logsource", key],
      })
    else out[key] = v
  }
  if (!out.product && !out.category && !out.service)
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: "`logsource` needs a category, product or service",
      at: ["logsource"],
    })
  return out
}

function readTags(tags: string[], issues: SigmaIssue[]): { techniques: string[]; tactics: string[] } {
  const techniques: string[] = []
  const tactics: string[] = []
  tags.forEach((tag, i) => {
    if (!TAG.test(tag)) {
      issues.push({
        severity: "warning",
        code: "sigma-tag",
        message: `tag \`${tag}\` is not \`namespace.name\` in lower case`,
        at: ["tags", i],
      })
      return
    }
    const [ns = "", ...rest] = tag.split(".")
    const name = rest.join(".")
    if (!NAMESPACES.has(ns))
      issues.push({
        severity: "warning",
        code: "sigma-tag",
        message: `tag namespace \`${ns}\` is not one Sigma defines`,
        at: ["tags", i],
      })
    if (ns !== "attack") return
    if (/^t\d{4}(\.\d{3})?$/.test(name)) techniques.push(name.toUpperCase())
    else if (SIGMA_TACTICS.has(name)) tactics.push(name)
    else if (!/^[gsm]\d{4}$|^ds\d{4}$|^a\d{4}$/.test(name))
      issues.push({
        severity: "warning",
        code: "sigma-tag",
        message: `\`${tag}\` is neither an ATT&CK technique, tactic, group, software, data source nor mitigation`,
        at: ["tags", i],
      })
  })
  return { techniques: [...new Set(techniques)], tactics: [...new Set(tactics)] }
}

function readRelated(doc: Record<string, unknown>, issues: SigmaIssue[]): SigmaRelated[] {
  const v = doc.related
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) {
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: "`related` must be a list of {id, type}",
      at: ["related"],
    })
    return []
  }
  const out: SigmaRelated[] = []
  v.forEach((item, i) => {
    if (!isMap(item) || typeof item.id !== "string" || typeof item.type !== "string") {
      issues.push({
        severity: "error",
        code: "sigma-schema",
        message: "each `related` item needs an `id` and a `type`",
        at: ["related", i],
      })
      return
    }
    if (!UUID.test(item.id))
      issues.push({
        severity: "error",
        code: "sigma-schema",
        message: `related id \`${item.id}\` is not a UUID`,
        at: ["related", i, "id"],
      })
    else if (!RELATED_TYPES.has(item.type))
      issues.push({
        severity: "error",
        code: "sigma-schema",
        message: `related type \`${item.type}\` is not one of ${[...RELATED_TYPES].join(", ")}`,
        at: ["related", i, "type"],
      })
    else out.push({ id: item.id, type: item.type })
  })
  return out
}

function readCorrelation(doc: Record<string, unknown>, issues: SigmaIssue[]): SigmaCorrelation | undefined {
  const c = doc.correlation
  if (!isMap(c) || typeof c.type !== "string") {
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: "`correlation` must be a map with a `type`",
      at: ["correlation"],
    })
    return undefined
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" ? [v] : [])
  const out: SigmaCorrelation = { type: c.type, rules: list(c.rules), groupBy: list(c["group-by"]) }
  if (typeof c.timespan === "string") out.timespan = c.timespan
  if (isMap(c.condition))
    out.condition = Object.entries(c.condition)
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(", ")
  if (out.rules.length === 0)
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: "`correlation.rules` must name at least one rule",
      at: ["correlation", "rules"],
    })
  return out
}

/** Validate and compile one YAML document of a Sigma file. */
export function readSigmaDocument(value: unknown): RuleResult {
  const issues: SigmaIssue[] = []
  if (!isMap(value))
    return { issues: [{ severity: "error", code: "not-a-mapping", message: "a Sigma document must be a map", at: [] }] }
  const doc = value
  if ("action" in doc)
    return {
      issues: [
        {
          severity: "error",
          code: "sigma-legacy",
          message: `legacy \`action: ${String(doc.action)}\` collection documents are not supported`,
          at: ["action"],
        },
      ],
    }
  if ("filter" in doc && !("detection" in doc))
    return {
      issues: [
        {
          severity: "error",
          code: "sigma-filter",
          message: "Sigma meta-filters (documents with `filter`) are not supported",
          at: ["filter"],
        },
      ],
    }
  const title = doc.title
  if (typeof title !== "string" || title.trim() === "" || title.length > 256)
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: "`title` must be a string of 1 to 256 characters",
      at: ["title"],
    })
  const id = optString(doc, "id", issues)
  if (id === undefined)
    issues.push({
      severity: "warning",
      code: "sigma-id",
      message: "the rule has no `id`; one is derived from its path",
      at: [],
    })
  else if (!UUID.test(id))
    issues.push({ severity: "error", code: "sigma-schema", message: `id \`${id}\` is not a UUID`, at: ["id"] })
  const status = optString(doc, "status", issues)
  if (status !== undefined && !(SIGMA_STATUSES as readonly string[]).includes(status))
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: `status \`${status}\` is not one of ${SIGMA_STATUSES.join(", ")}`,
      at: ["status"],
    })
  const level = optString(doc, "level", issues)
  if (level !== undefined && !(SIGMA_LEVELS as readonly string[]).includes(level))
    issues.push({
      severity: "error",
      code: "sigma-schema",
      message: `level \`${level}\` is not one of ${SIGMA_LEVELS.join(", ")}`,
      at: ["level"],
    })
  for (const key of ["date", "modified"]) {
    if (doc[key] !== undefined && normaliseDate(doc[key]) === undefined)
      issues.push({
        severity: "error",
        code: "sigma-schema",
        message: `\`${key}\` must be a date written YYYY-MM-DD`,
        at: [key],
      })
  }
  const tags = stringList(doc, "tags", issues)
  const references = stringList(doc, "references", issues)
  const falsepositives = stringList(doc, "falsepositives", issues)
  stringList(doc, "fields", issues)
  const { techniques, tactics } = readTags(tags, issues)
  const related = readRelated(doc, issues)
  const base = { tags, tactics, related, falsepositives, ...(level ? { level } : {}) }
  let analysis: SigmaAnalysis
  if ("correlation" in doc) {
    const correlation = readCorrelation(doc, issues)
    analysis = {
      kind: "correlation",
      logsource: {},
      ...base,
      condition: correlation?.condition ?? "",
      selections: [],
      predicate: { op: "false" },
      evaluable: false,
      reason: "a correlation rule counts matches of other rules over time; one event cannot decide it",
    }
    if (correlation) analysis.correlation = correlation
  } else {
    const logsource = readLogsource(doc, issues)
    if (!isMap(doc.detection)) {
      issues.push({
        severity: "error",
        code: "sigma-schema",
        message: "`detection` must be a map of search identifiers and a `condition`",
        at: ["detection"],
      })
      return { issues }
    }
    const d = compileDetection(doc.detection)
    issues.push(...d.issues)
    analysis = {
      kind: "detection",
      logsource,
      ...base,
      condition: d.condition,
      selections: d.selections,
      predicate: d.predicate,
      evaluable: d.unsupported === undefined,
    }
    if (d.unsupported) analysis.reason = d.unsupported
  }
  if (issues.some((i) => i.severity === "error")) return { issues }
  const rule: SigmaRule = {
    title: title as string,
    description: optString(doc, "description", issues) ?? "",
    author: optString(doc, "author", issues) ?? "",
    references,
    techniques,
    analysis,
  }
  if (id) rule.id = id.toLowerCase()
  if (status) rule.status = status
  const name = optString(doc, "name", issues)
  if (name) rule.name = name
  const date = normaliseDate(doc.date)
  if (date) rule.date = date
  const modified = normaliseDate(doc.modified)
  if (modified) rule.modified = modified
  return { rule, issues }
}
