/**
 * One security_content detection file → one normalised `Detection`, whatever its generation.
 *
 * Owns: telling the generations apart, validating with the matching schema, and the
 * values contentctl derives rather than reads: risk score and severity, kill chain, NIST
 * and CIS, the slug, the filter-macro name, the macros a search calls.
 * Invariants: pure; never throws on a document, returns diagnostics instead.
 * Never imports: React, Next, Node built-ins.
 */
import type { z } from "zod"

import type { ParsedYaml } from "../../source/yaml.ts"
import {
  findingDetectionSchema,
  rbaDetectionSchema,
  tagsDetectionSchema,
  type FindingDetectionDoc,
  type RbaDetectionDoc,
  type TagsDetectionDoc,
} from "./schema.ts"
import type { AttackResolver, Detection, Diagnostic, Risk, RiskEntity, SchemaGeneration } from "../../model/types.ts"
import { issuesToDiagnostics } from "../../source/issues.ts"
import { detectionSlug, fileStem, macroCalls, riskSeverity, toIsoDate } from "../../model/util.ts"

export type { AttackResolver } from "../../model/types.ts"

/** contentctl's name cap: longer names break the ES stanza name. */
const MAX_NAME_LENGTH = 67

/** The generation a document was written in. */
export function detectGeneration(doc: Record<string, unknown>): SchemaGeneration {
  if ("finding" in doc || "creation_date" in doc || "modification_date" in doc) return "finding"
  if ("rba" in doc) return "rba"
  const tags = doc.tags
  if (tags && typeof tags === "object" && !Array.isArray(tags)) {
    const legacy = ["confidence", "impact", "observable", "message", "risk_score"]
    return legacy.some((k) => k in tags) ? "tags" : "rba"
  }
  return "finding"
}

export interface DetectionResult {
  detection?: Detection
  diagnostics: Diagnostic[]
}

/** Normalise one parsed detection file. `category` is its sub-folder of `detections/`. */
export function normalizeSplunkDetection(
  path: string,
  raw: string,
  parsed: ParsedYaml,
  category: string | undefined,
  attack: AttackResolver,
): DetectionResult {
  const doc = parsed.value as Record<string, unknown>
  const generation = detectGeneration(doc)
  const schema = SCHEMAS[generation]
  const result = (schema as z.ZodType).safeParse(doc, { reportInput: true })
  if (!result.success) {
    return { diagnostics: issuesToDiagnostics(path, result.error.issues, parsed.position, `${generation} schema`) }
  }
  const diagnostics: Diagnostic[] = []
  const warn = (keyPath: Array<string | number>, code: string, message: string) => {
    const p = parsed.position(keyPath)
    diagnostics.push({ path, line: p.line, column: p.column, severity: "warning", code, message })
  }
  const d = result.data as TagsDetectionDoc | RbaDetectionDoc | FindingDetectionDoc
  const mappings = generation === "finding" ? (d as FindingDetectionDoc) : (d as TagsDetectionDoc).tags
  if (d.name.length > MAX_NAME_LENGTH)
    warn(["name"], "name-too-long", `name is ${d.name.length} characters; contentctl allows ${MAX_NAME_LENGTH}`)
  const stem = fileStem(path)
  const expectedStem = d.name.replace(/[ \-./]/g, "_").toLowerCase()
  if (stem !== expectedStem)
    warn(["name"], "file-name", `file name should be ${expectedStem}.yml for the name "${d.name}"`)
  if (!d.search.includes(`\`${stem}_filter\``))
    warn(["search"], "filter-macro", `search does not call its tuning macro \`${stem}_filter\``)

  const attackIds = (mappings.mitre_attack_id ?? []).map((s) => s.trim().toUpperCase())
  const attackMappings = attackIds.map((id) => attack.resolve(id))
  const attackPath = generation === "finding" ? ["mitre_attack_id"] : ["tags", "mitre_attack_id"]
  for (const [i, m] of attackMappings.entries()) {
    if (m.status === "unknown")
      warn([...attackPath, i], "attack-unknown", `${m.id} is not in the loaded ATT&CK data; shown as written`)
    if (m.status === "revoked")
      warn(
        [...attackPath, i],
        "attack-revoked",
        `${m.id} is revoked in ATT&CK${m.replacedBy ? `; replaced by ${m.replacedBy}` : ""}`,
      )
  }
  const risk = buildRisk(generation, d)
  const dataSourceGroups = (d.data_source ?? [])
    .map((s) =>
      s
        .split("AND")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .filter((g) => g.length > 0)
  const dataSources = dataSourceGroups.flat()
  const assetType = Array.isArray(mappings.asset_type)
    ? mappings.asset_type.join(", ")
    : (mappings.asset_type ?? undefined)
  const findingDoc = d as FindingDetectionDoc
  const detection: Detection = {
    format: "splunk",
    id: d.id.toLowerCase(),
    name: d.name,
    slug: detectionSlug(stem),
    version: d.version,
    status: d.status,
    type: d.type,
    generation,
    created: toIsoDate(generation === "finding" ? findingDoc.creation_date : (d as TagsDetectionDoc).date),
    modified: generation === "finding" ? toIsoDate(findingDoc.modification_date) : undefined,
    author: d.author,
    description: d.description,
    search: d.search,
    howToImplement: d.how_to_implement ?? "",
    knownFalsePositives: d.known_false_positives ?? "",
    references: d.references ?? [],
    dataSources: [...new Set(dataSources)],
    dataSourceGroups,
    stories: [...new Set(mappings.analytic_story ?? [])],
    attack: attackMappings,
    securityDomain: mappings.security_domain ?? undefined,
    assetType,
    products: mappings.product ?? [],
    category: (generation === "finding" ? findingDoc.category : undefined) ?? category,
    risk,
    killChain: attack.killChain(attackMappings),
    nist: [d.type === "TTP" ? "DE.CM" : "DE.AE"],
    cis: [mappings.security_domain === "network" ? "CIS 13" : "CIS 10"],
    drilldowns: (d.drilldown_searches ?? []).map((x) => ({
      name: x.name,
      search: x.search,
      earliest: x.earliest_offset == null ? undefined : String(x.earliest_offset),
      latest: x.latest_offset == null ? undefined : String(x.latest_offset),
    })),
    tests: (d.tests ?? []).map((t) => ({
      name: t.name,
      type: t.test_type,
      attackData: t.attack_data.map((a) => ({ data: a.data, source: a.source, sourcetype: a.sourcetype })),
    })),
    macros: macroCalls(d.search),
    path,
    raw,
  }
  return { detection, diagnostics }
}

const SCHEMAS = {
  tags: tagsDetectionSchema,
  rba: rbaDetectionSchema,
  finding: findingDetectionSchema,
} as const

/** G1 observable → risk/threat object, exactly as contentctl v4.4.1 converted them. */
function observableEntity(o: { name: string; type: string; role: string[] }, score: number): RiskEntity {
  const type = o.type.toLowerCase()
  const role = o.role[0] ?? "Victim"
  if (role === "Attacker") {
    const threat: Record<string, string> = {
      "process name": "process",
      process: "process",
      "file name": "file_name",
      file: "file_name",
      "file hash": "file_name",
      "ip address": "ip_address",
      "url string": "url",
      url: "url",
    }
    return { field: o.name, type: threat[type] ?? type, role: "threat", origin: "observable" }
  }
  const user = ["user", "username", "email address"]
  const system = ["device", "endpoint", "hostname", "ip address"]
  const riskType = user.includes(type) ? "user" : system.includes(type) ? "system" : "other"
  return { field: o.name, type: riskType, score, role: "risk", origin: "observable" }
}

function buildRisk(generation: SchemaGeneration, d: TagsDetectionDoc | RbaDetectionDoc | FindingDetectionDoc): Risk {
  if (generation === "tags") {
    const t = (d as TagsDetectionDoc).tags
    const product = t.impact * t.confidence
    const score = Math.round(product / 100)
    const entities = (t.observable ?? []).map((o) => observableEntity(o, score))
    return {
      legacy: { impact: t.impact, confidence: t.confidence, score, product: product / 100 },
      score,
      severity: riskSeverity(score),
      message: t.message ?? undefined,
      entities,
    }
  }
  if (generation === "rba") {
    const rba = (d as RbaDetectionDoc).rba
    const entities: RiskEntity[] = [
      ...(rba?.risk_objects ?? []).map((o) => ({
        field: o.field,
        type: o.type,
        score: o.score,
        role: "risk" as const,
        origin: "rba" as const,
      })),
      ...(rba?.threat_objects ?? []).map((o) => ({
        field: o.field,
        type: o.type,
        role: "threat" as const,
        origin: "rba" as const,
      })),
    ]
    return withMaxScore({ message: rba?.message ?? undefined, entities })
  }
  const f = d as FindingDetectionDoc
  // The 2026 seeds leave the nesting of intermediate_findings unclear; accept both.
  const intermediate = f.intermediate_findings ?? f.finding?.intermediate_findings
  const entities: RiskEntity[] = []
  if (f.finding?.entity) entities.push({ ...pick(f.finding.entity), role: "risk", origin: "finding" })
  for (const e of intermediate?.entities ?? [])
    entities.push({ ...pick(e), role: "risk", origin: "intermediate_findings" })
  const title = f.finding?.title ?? undefined
  const message = intermediate?.message ?? title
  return withMaxScore({ message, title: title !== message ? title : undefined, entities })
}

function pick(e: { field: string; type: string; score?: number }) {
  return { field: e.field, type: e.type, score: e.score }
}

function withMaxScore(risk: Risk): Risk {
  const scores = risk.entities.map((e) => e.score).filter((s): s is number => typeof s === "number")
  if (scores.length === 0) return risk
  const score = Math.max(...scores)
  return { ...risk, score, severity: riskSeverity(score) }
}
