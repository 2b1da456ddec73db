/**
 * Elastic detection-rule TOML files → ElasticRule, with positioned findings.
 *
 * Owns: reading one rule file (TOML 1.0 through smol-toml), checking it the way Elastic's
 * tooling would (required keys, rule type, language for the type, risk score range), and keeping
 * every piece of metadata the catalog shows.
 *
 * Invariants:
 * - Never throws on file content: a TOML syntax error or a schema problem is an `error` issue
 *   with the line and column in the file, and no rule.
 * - Strings are the TOML-decoded values (`'''` literal vs `"""` basic already applied); the query
 *   languages apply their own escapes to them, never to the raw file text.
 * - Positions of keys are found in the text (smol-toml gives none for values): the line of
 *   `key =` inside the file, 0 when the key is not written on a line of its own.
 *
 * Never imports: React, Next, Node built-ins.
 */
import { parse, TomlError } from "smol-toml"

import {
  RULE_TYPES,
  type ElasticFilter,
  type ElasticIssue,
  type ElasticLanguage,
  type ElasticRule,
  type ElasticRuleType,
  type ElasticThreat,
} from "./types.ts"

type Table = Record<string, unknown>

const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v)
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined)
const strList = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : []
const tables = (v: unknown): Table[] => (Array.isArray(v) ? v.filter(isTable) : [])

/** 1-based line of `key =` (at the start of a line), after the line of `[section]` when given; `text` may come split into lines. */
export function keyLine(text: string | readonly string[], key: string, section?: string): number {
  const lines = typeof text === "string" ? text.split("\n") : text
  let from = 0
  if (section) {
    const s = lines.findIndex((l) => l.trim() === `[${section}]`)
    if (s >= 0) from = s + 1
  }
  const re = new RegExp(`^\\s*${key.replace(/[.]/g, "\\.")}\\s*=`)
  for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1
  return 0
}

/** Line where the decoded query text starts: the line after `query = '''` (or the same line). */
function queryStart(text: string): number {
  const lines = text.split("\n")
  const line = keyLine(lines, "query", "rule")
  if (line === 0) return 0
  const l = lines[line - 1]!
  return /=\s*('''|""")\s*$/.test(l) ? line + 1 : line
}

function threat(v: unknown): ElasticThreat[] {
  const ref = (t: unknown) => ({
    id: str(isTable(t) ? t.id : undefined) ?? "",
    name: str(isTable(t) ? t.name : undefined) ?? "",
  })
  return tables(v).map((b) => ({
    tactic: ref(b.tactic),
    techniques: tables(b.technique).map((t) => ({ ...ref(t), subtechniques: tables(t.subtechnique).map(ref) })),
  }))
}

function filters(v: unknown): ElasticFilter[] {
  return tables(v).map((f) => {
    const meta = isTable(f.meta) ? f.meta : {}
    const base = { negate: meta.negate === true, disabled: meta.disabled === true }
    const q = isTable(f.query) ? f.query : f
    if (isTable(q.wildcard)) {
      const [field, spec] = Object.entries(q.wildcard)[0] ?? []
      const value = isTable(spec) ? str(spec.value) : str(spec)
      return {
        ...base,
        kind: "wildcard",
        field,
        value,
        caseInsensitive: isTable(spec) && spec.case_insensitive === true,
      }
    }
    if (isTable(q.exists) || isTable(f.exists)) {
      const e = (isTable(q.exists) ? q.exists : f.exists) as Table
      return { ...base, kind: "exists", field: str(e.field) }
    }
    for (const k of ["match_phrase", "term", "match"] as const) {
      if (isTable(q[k])) {
        const [field, spec] = Object.entries(q[k] as Table)[0] ?? []
        const value = isTable(spec) ? str(spec.query ?? spec.value) : spec === undefined ? undefined : String(spec)
        return { ...base, kind: k === "term" ? "term" : "match_phrase", field, value }
      }
    }
    return { ...base, kind: "other" }
  })
}

const LANG_FOR_TYPE: Record<ElasticRuleType, Array<ElasticLanguage | undefined>> = {
  eql: ["eql"],
  query: ["kuery", "lucene"],
  new_terms: ["kuery", "lucene"],
  threshold: ["kuery", "lucene"],
  threat_match: ["kuery", "lucene"],
  esql: ["esql"],
  machine_learning: [undefined],
}

/** The severity each risk score goes with in Elastic's own rules. */
const CONVENTION: Record<string, number> = { low: 21, medium: 47, high: 73, critical: 99 }

export type ElasticRead = { rule?: ElasticRule; issues: ElasticIssue[] }

/** Read one rule file. `path` is used only to tell the deprecated folder apart. */
export function readElasticToml(path: string, text: string): ElasticRead {
  const issues: ElasticIssue[] = []
  const err = (code: string, message: string, line = 0, column = 0) =>
    issues.push({ severity: "error", code, message, line, column })
  const warn = (code: string, message: string, line = 0, column = 0) =>
    issues.push({ severity: "warning", code, message, line, column })
  let doc: Table
  try {
    doc = parse(text) as Table
  } catch (e) {
    if (e instanceof TomlError) err("toml-syntax", e.message.split("\n")[0]!.trim(), e.line, e.column)
    else err("toml-syntax", e instanceof Error ? e.message : String(e))
    return { issues }
  }
  const meta = isTable(doc.metadata) ? doc.metadata : {}
  const r = isTable(doc.rule) ? doc.rule : undefined
  if (!r) {
    err("schema", "no [rule] table: not an Elastic detection rule", 1, 1)
    return { issues }
  }
  const at = (key: string) => keyLine(text, key, "rule")
  const ruleId = str(r.rule_id)
  const name = str(r.name)
  const type = str(r.type)
  const risk = r.risk_score
  const severity = str(r.severity)
  for (const [k, v] of [
    ["rule_id", ruleId],
    ["name", name],
    ["type", type],
    ["severity", severity],
  ] as const)
    if (!v) err("schema", `rule.${k} is missing or not a string`, at(k) || 1, 1)
  if (typeof risk !== "number" || !Number.isInteger(risk) || risk < 0 || risk > 100)
    err(
      "schema",
      `rule.risk_score must be an integer from 0 to 100${risk === undefined ? " (missing)" : `, not ${JSON.stringify(risk)}`}`,
      at("risk_score") || 1,
      1,
    )
  if (type && !(RULE_TYPES as readonly string[]).includes(type))
    err("schema", `unknown rule.type ${JSON.stringify(type)} (one of ${RULE_TYPES.join(", ")})`, at("type"), 1)
  const language = str(r.language) as ElasticLanguage | undefined
  if (
    type &&
    (RULE_TYPES as readonly string[]).includes(type) &&
    !LANG_FOR_TYPE[type as ElasticRuleType].includes(language)
  )
    err(
      "schema",
      `rule.language ${language === undefined ? "(none)" : JSON.stringify(language)} does not fit rule.type ${JSON.stringify(type)}`,
      at("language") || at("type"),
      1,
    )
  const query = str(r.query)
  if (type && type !== "machine_learning" && query === undefined) err("schema", "rule.query is missing", at("type"), 1)
  if (issues.some((i) => i.severity === "error")) return { issues }

  const sev = severity!.toLowerCase()
  if (!(sev in CONVENTION))
    err("schema", `rule.severity ${JSON.stringify(severity)} is not low, medium, high or critical`, at("severity"), 1)
  else if (CONVENTION[sev] !== risk)
    warn(
      "risk-convention",
      `risk_score ${String(risk)} with severity ${sev}: Elastic pairs ${sev} with ${CONVENTION[sev]}`,
      at("risk_score"),
      1,
    )
  if (issues.some((i) => i.severity === "error")) return { issues }

  const maturity = str(meta.maturity) ?? "production"
  const inDeprecated = /(^|\/)_deprecated\//.test(path)
  if (maturity === "deprecated" && !inDeprecated)
    warn(
      "deprecated-location",
      "maturity is deprecated but the file is outside _deprecated/",
      keyLine(text, "maturity", "metadata"),
      1,
    )
  const tags = strList(r.tags)
  const bare = tags.filter((t) => !t.includes(": "))
  if (bare.length > 0)
    warn(
      "tag-prefix",
      `tags without a "Prefix: " (${bare.slice(0, 3).join(", ")}${bare.length > 3 ? ", …" : ""})`,
      at("tags"),
      1,
    )

  const nt = isTable(r.new_terms) ? r.new_terms : undefined
  const th = isTable(r.threshold) ? r.threshold : undefined
  const rule: ElasticRule = {
    ruleId: ruleId!,
    name: name!,
    description: (str(r.description) ?? "").trim(),
    type: type as ElasticRuleType,
    ...(language ? { language } : {}),
    ...(query !== undefined ? { query } : {}),
    queryLine: queryStart(text),
    index: strList(r.index),
    riskScore: risk as number,
    severity: sev,
    riskScoreOverride: tables(r.risk_score_mapping)
      .map((m) => str(m.field) ?? "")
      .filter(Boolean),
    severityOverride: [
      ...new Set(
        tables(r.severity_mapping)
          .map((m) => str(m.field) ?? "")
          .filter(Boolean),
      ),
    ],
    tags,
    threat: threat(r.threat),
    references: strList(r.references),
    falsePositives: strList(r.false_positives),
    author: strList(r.author),
    maturity,
    integrations: strList(meta.integration),
    requiredFields: tables(r.required_fields).map((f) => ({
      name: str(f.name) ?? "",
      ...(str(f.type) ? { type: str(f.type) } : {}),
      ...(typeof f.ecs === "boolean" ? { ecs: f.ecs } : {}),
    })),
    relatedIntegrations: tables(r.related_integrations).map((f) => ({
      package: str(f.package) ?? "",
      ...(str(f.integration) ? { integration: str(f.integration) } : {}),
      ...(str(f.version) ? { version: str(f.version) } : {}),
    })),
    buildingBlock: str(r.building_block_type) !== undefined,
    deprecated: inDeprecated || maturity === "deprecated",
    filters: filters(r.filters),
    investigationFields: isTable(r.investigation_fields) ? strList(r.investigation_fields.field_names) : [],
    exceptionLists: tables(r.exceptions_list)
      .map((e) => str(e.list_id) ?? str(e.id) ?? "")
      .filter(Boolean),
  }
  const opt = <K extends keyof ElasticRule>(k: K, v: ElasticRule[K] | undefined) => {
    if (v !== undefined) rule[k] = v
  }
  opt("note", str(r.note))
  opt("setup", str(r.setup))
  opt("license", str(r.license))
  opt("created", str(meta.creation_date)?.replaceAll("/", "-"))
  opt("updated", str(meta.updated_date)?.replaceAll("/", "-"))
  opt("from", str(r.from))
  opt("interval", str(r.interval))
  opt("eventCategoryOverride", str(r.event_category_override))
  opt("maxSignals", typeof r.max_signals === "number" ? r.max_signals : undefined)
  if (nt)
    rule.newTerms = {
      fields: strList(nt.value),
      ...(str(tables(nt.history_window_start)[0]?.value)
        ? { historyWindowStart: str(tables(nt.history_window_start)[0]?.value) }
        : {}),
    }
  if (th)
    rule.threshold = {
      fields: strList(th.field),
      value: typeof th.value === "number" ? th.value : 0,
      cardinality: tables(th.cardinality).map((c) => ({
        field: str(c.field) ?? "",
        value: typeof c.value === "number" ? c.value : 0,
      })),
    }
  if (type === "machine_learning")
    rule.machineLearning = {
      jobs: strList(r.machine_learning_job_id),
      ...(typeof r.anomaly_threshold === "number" ? { anomalyThreshold: r.anomaly_threshold } : {}),
    }
  if (type === "threat_match")
    rule.threatMatch = {
      index: strList(r.threat_index),
      mappings: tables(r.threat_mapping).map((m) =>
        tables(m.entries).map((e) => ({ field: str(e.field) ?? "", value: str(e.value) ?? "" })),
      ),
    }
  return { rule, issues }
}
