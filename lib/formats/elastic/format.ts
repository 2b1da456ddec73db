/**
 * Elastic detection rules (Elastic's detection-rules TOML) as a rule format of the catalog.
 *
 * Owns: which files are Elastic rules, the mapping of an ElasticRule onto the shared Detection
 * (rule_id → id, risk_score / severity → risk, `[[rule.threat]]` → ATT&CK mappings, `Data
 * Source:` tags → data sources, setup → how to implement), the format-neutral RuleAnalysis of
 * the query, the tester's view (ECS events, the ECS gate) and the rule page's own sections.
 *
 * Invariants: pure; never throws on file content; everything returned is plain JSON.
 * Never imports: React, Next, Node built-ins; nothing above lib/model, lib/events, lib/predicate,
 * lib/source and this folder.
 */
import { clonePlain, countLeaves, leaves, numberLeaves, or } from "../../predicate/build.ts"
import type { AnalysisReason, RuleAnalysis, RuleStage } from "../../predicate/analysis.ts"
import type { Predicate } from "../../predicate/types.ts"
import type { AttackMapping, AttackResolver, Detection } from "../../model/types.ts"
import { detectionSlug, fileStem } from "../../model/util.ts"
import type { Diagnostic } from "../../source/diagnostics.ts"
import type { PageBlock, PageSection, RuleFormat, SourceFile } from "../types.ts"
import { analyzeElastic } from "./analyze.ts"
import { readElasticToml } from "./rule.ts"
import { elasticTesting } from "./tester.ts"
import type { ElasticAnalysis, ElasticRule } from "./types.ts"

export const ELASTIC = "elastic"

/** What the Elastic pages and reports read of a rule: its metadata and the query's analysis. */
export interface ElasticDetail {
  format: typeof ELASTIC
  rule: Omit<ElasticRule, "query">
  query: ElasticAnalysis
}

const TYPE_LABEL: Record<string, string> = {
  eql: "EQL",
  query: "Query",
  new_terms: "New terms",
  esql: "ES|QL",
  machine_learning: "Machine learning",
  threshold: "Threshold",
  threat_match: "Indicator match",
}

const LANGUAGE_LABEL: Record<string, string> = { eql: "EQL", kuery: "KQL", esql: "ES|QL", lucene: "Lucene" }

/**
 * Event sources named the way security_content's data_sources/ files name them, per Elastic
 * `Data Source:` tag and event category of a Windows rule, so Elastic rules meet the other
 * formats on data-source and coverage pages. `*` stands for any category.
 */
const WINDOWS_DATA_SOURCES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  Sysmon: {
    process: ["Sysmon EventID 1"],
    network: ["Sysmon EventID 3"],
    library: ["Sysmon EventID 7"],
    file: ["Sysmon EventID 11"],
    registry: ["Sysmon EventID 12", "Sysmon EventID 13"],
    dns: ["Sysmon EventID 22"],
  },
  "Windows Security Event Logs": { process: ["Windows Event Log Security 4688"] },
  Crowdstrike: { process: ["CrowdStrike ProcessRollup2"] },
  "PowerShell Logs": { "*": ["Powershell Script Block Logging 4104"] },
}

/** The event categories a rule reads: EQL stage categories, else KQL `event.category` tests. */
function categories(a: ElasticAnalysis): string[] {
  const out = new Set(a.stages.map((s) => s.category ?? "").filter((c) => c !== "" && c !== "any"))
  if (out.size === 0 && a.predicate)
    for (const l of leaves(a.predicate))
      if (l.op === "cmp" && l.field === "event.category" && l.cmpOp === "=") out.add(l.value.toLowerCase())
  return [...out]
}

/** Data source names of a rule: the catalog-wide names its tags and categories imply, then the tags as written. */
function dataSourcesOf(rule: ElasticRule, a: ElasticAnalysis): string[] {
  const tags = rule.tags.filter((t) => t.startsWith("Data Source: ")).map((t) => t.slice("Data Source: ".length))
  const mapped: string[] = []
  if (rule.tags.includes("OS: Windows"))
    for (const tag of tags) {
      const table = WINDOWS_DATA_SOURCES[tag]
      if (!table) continue
      for (const c of [...categories(a), "*"]) mapped.push(...(table[c] ?? []))
    }
  return [...new Set([...mapped, ...tags])]
}

/** A file is an Elastic rule when it is TOML with a `[rule]` table (cheap text test). */
export function looksLikeElastic(file: SourceFile): boolean {
  return /\.toml$/i.test(file.rel) && file.text !== undefined && /^\[rule\]\s*$/m.test(file.text)
}

/** Elastic's folder (`windows`, `integrations/aws`, …) below `rules/` or `rules_building_block/`. */
function category(rel: string): string | undefined {
  const m = /(?:^|\/)(rules(?:_building_block)?)\/(.+)\/[^/]+$/.exec(rel)
  if (!m) return undefined
  if (m[1] === "rules_building_block") return "building block"
  return m[2]!.replace(/^integrations\//, "")
}

function attackMappings(rule: ElasticRule, attack: AttackResolver): AttackMapping[] {
  const ids: string[] = []
  for (const t of rule.threat)
    for (const tech of t.techniques) {
      ids.push(tech.id)
      for (const s of tech.subtechniques) ids.push(s.id)
    }
  return [...new Set(ids.filter(Boolean).map((i) => i.toUpperCase()))].map((id) => attack.resolve(id))
}

/** The query analysis in the format-neutral terms the tester, indicators and pages share. */
export function toRuleAnalysis(rule: ElasticRule, a: ElasticAnalysis): RuleAnalysis<ElasticDetail> {
  const { query: _q, ...meta } = rule
  const detail: ElasticDetail = { format: ELASTIC, rule: meta, query: a }
  const command = a.language === "kuery" ? "kql" : (a.language ?? "ml")
  const reasons: AnalysisReason[] = a.evaluable
    ? []
    : [{ construct: rule.type, category: a.kind, message: a.reason ?? a.label }]
  const notes: AnalysisReason[] = a.unsupported.map((u) => ({
    construct: command,
    category: "unsupported",
    message: u,
  }))
  const evaluability = {
    evaluable: a.evaluable,
    ...(a.evaluable ? {} : { category: a.kind }),
    reasons,
    notes,
    requires: [] as string[],
  }
  if (a.kind === "multi-event") {
    // One filter: an event matching any stage is a candidate (the tester says what is missing).
    // Leaf ids run across the stages, so a trace names one leaf of the whole rule.
    let next = 1
    const branches = a.stages.map((s) => {
      const p = numberLeaves(clonePlain(s.predicate), next)
      next += countLeaves(p)
      return p
    })
    const predicate = or(branches)
    const text = a.stages
      .map((s, i) => `${s.until ? "until" : s.missing ? "missing" : `stage ${i + 1}`}: [${s.text}]`)
      .join("\n")
    const stage: RuleStage = {
      index: 0,
      command: "any stage",
      text,
      role: "filter",
      predicate,
      evaluable: false,
      reason: a.reason ?? a.label,
    }
    return { stages: [stage], predicate, evaluability, detail }
  }
  const predicate: Predicate = a.predicate ?? { op: "true" }
  const filter: RuleStage = {
    index: 0,
    command,
    text: rule.query ?? "",
    role: "filter",
    predicate,
    evaluable: a.predicate !== undefined && a.unsupported.length === 0,
  }
  if (!filter.evaluable && a.reason) filter.reason = a.reason
  const stages: RuleStage[] = [filter]
  const blocker = a.kind === "single-event" ? undefined : a.kind
  if (blocker)
    stages.push({
      index: 1,
      command: rule.type,
      text: a.reason ?? a.label,
      role: "aggregate",
      evaluable: false,
      reason: a.reason ?? a.label,
    })
  const analysis: RuleAnalysis<ElasticDetail> = { stages, predicate, evaluability, detail }
  // No single-event filter to run: the tester lists the rule apart. Rules with a filter (new
  // terms, threshold, indicator match, sequence stages) are evaluated, and an event passing the
  // filter is reported as undecided with what the alert still needs.
  if (a.predicate === undefined) analysis.multiEvent = a.reason ?? a.label
  return analysis
}

export type ElasticLoad = { detection?: Detection; diagnostics: Diagnostic[] }

/** One Elastic rule file → a Detection with its analysis, and positioned diagnostics. */
export function loadElasticFile(file: SourceFile, attack: AttackResolver): ElasticLoad {
  const text = file.text ?? ""
  const read = readElasticToml(file.rel, text)
  const diagnostics: Diagnostic[] = read.issues.map((i) => ({
    path: file.path,
    line: i.line,
    column: i.column,
    severity: i.severity,
    code: i.code,
    message: i.message,
  }))
  const rule = read.rule
  if (!rule) return { diagnostics }
  const a = analyzeElastic(rule)
  if (a.parseError)
    diagnostics.push({
      path: file.path,
      line: a.parseError.line,
      column: a.parseError.column,
      severity: "warning",
      code: "query-subset",
      message: `${LANGUAGE_LABEL[a.language ?? ""] ?? "query"} not evaluated: ${a.parseError.message}`,
    })
  const mappings = attackMappings(rule, attack)
  for (const t of rule.threat)
    for (const tech of [...t.techniques, ...t.techniques.flatMap((x) => x.subtechniques)]) {
      const m = attack.resolve(tech.id)
      if (m.status === "unknown")
        diagnostics.push({
          path: file.path,
          line: 0,
          column: 0,
          severity: "warning",
          code: "attack-unknown",
          message: `ATT&CK ${tech.id} is not in the bundled ATT&CK release`,
        })
    }
  const dataSources = dataSourcesOf(rule, a)
  const analysis = toRuleAnalysis(rule, a)
  const d: Detection = {
    format: ELASTIC,
    id: rule.ruleId,
    name: rule.name,
    slug: detectionSlug(fileStem(file.rel)),
    status: rule.deprecated ? "deprecated" : rule.maturity,
    type: rule.buildingBlock ? `${TYPE_LABEL[rule.type]} (building block)` : (TYPE_LABEL[rule.type] ?? rule.type),
    author: rule.author.join(", "),
    description: rule.description,
    search: rule.query ?? (rule.machineLearning ? `machine learning job: ${rule.machineLearning.jobs.join(", ")}` : ""),
    howToImplement: rule.setup ?? "",
    knownFalsePositives: rule.falsePositives.join("\n"),
    references: rule.references,
    dataSources,
    dataSourceGroups: dataSources.map((n) => [n]),
    stories: [],
    attack: mappings,
    products: rule.integrations,
    risk: { score: rule.riskScore, severity: rule.severity, entities: [] },
    killChain: attack.killChain(mappings),
    nist: [],
    cis: [],
    drilldowns: [],
    tests: [],
    macros: [],
    path: file.path,
    raw: text,
    analysis,
  }
  const cat = category(file.rel)
  if (cat) d.category = cat
  if (rule.created) d.created = rule.created
  if (rule.updated) d.modified = rule.updated
  return { detection: d, diagnostics }
}

/** The Elastic analysis of a detection, when it is an Elastic rule. */
export function elasticDetail(analysis: RuleAnalysis | undefined): ElasticDetail | undefined {
  return analysis?.detail.format === ELASTIC ? (analysis.detail as ElasticDetail) : undefined
}

/** The sections an Elastic rule page adds (metadata, ATT&CK as written, guide, setup, fields). */
export function elasticSections(detail: ElasticDetail): PageSection[] {
  const r = detail.rule
  const a = detail.query
  const rows: Array<{ label: string; value: string | string[] }> = [
    { label: "Rule type", value: TYPE_LABEL[r.type] ?? r.type },
    ...(r.language ? [{ label: "Language", value: LANGUAGE_LABEL[r.language] ?? r.language }] : []),
    {
      label: "Severity",
      value:
        r.severity +
        (r.severityOverride.length ? ` (overridden by ${r.severityOverride.join(", ")} when present)` : ""),
    },
    {
      label: "Risk score",
      value:
        String(r.riskScore) +
        (r.riskScoreOverride.length ? ` (overridden by ${r.riskScoreOverride.join(", ")} when present)` : ""),
    },
    { label: "Maturity", value: r.deprecated ? "deprecated" : r.maturity },
    ...(r.buildingBlock
      ? [{ label: "Building block", value: "yes: its alerts are hidden and feed higher-order rules" }]
      : []),
    { label: "One event", value: a.evaluable ? "decides the rule" : `${a.label}: ${a.reason ?? ""}` },
    ...(r.index.length ? [{ label: "Index patterns", value: r.index }] : []),
    ...(r.integrations.length ? [{ label: "Integrations", value: r.integrations }] : []),
    ...(r.from ? [{ label: "Look-back", value: `${r.from}${r.interval ? `, every ${r.interval}` : ""}` }] : []),
    ...(r.newTerms
      ? [{ label: "New terms", value: `${r.newTerms.fields.join(", ")} since ${r.newTerms.historyWindowStart ?? "?"}` }]
      : []),
    ...(r.threshold
      ? [
          {
            label: "Threshold",
            value: `≥ ${r.threshold.value}${r.threshold.fields.length ? ` by ${r.threshold.fields.join(", ")}` : ""}`,
          },
        ]
      : []),
    ...(r.machineLearning ? [{ label: "ML jobs", value: r.machineLearning.jobs }] : []),
    ...(a.joinKeys.length
      ? [{ label: "Joined by", value: a.joinKeys.join(", ") + (a.maxspan ? ` within ${a.maxspan}` : "") }]
      : []),
    ...(r.exceptionLists.length ? [{ label: "Exception lists", value: r.exceptionLists }] : []),
  ]
  const sections: PageSection[] = [
    {
      id: "elastic-rule",
      title: "Elastic rule",
      after: "attack",
      blocks: [{ kind: "facts", label: "Rule settings", rows }],
    },
  ]
  if (r.threat.length) {
    const table: string[][] = []
    for (const t of r.threat) {
      if (t.techniques.length === 0) table.push([`${t.tactic.id} ${t.tactic.name}`, "", ""])
      for (const tech of t.techniques) {
        if (tech.subtechniques.length === 0)
          table.push([`${t.tactic.id} ${t.tactic.name}`, `${tech.id} ${tech.name}`, ""])
        for (const s of tech.subtechniques)
          table.push([`${t.tactic.id} ${t.tactic.name}`, `${tech.id} ${tech.name}`, `${s.id} ${s.name}`])
      }
    }
    sections.push({
      id: "elastic-threat",
      title: "ATT&CK as the rule writes it",
      after: "attack",
      blocks: [{ kind: "table", label: "rule.threat", columns: ["Tactic", "Technique", "Sub-technique"], rows: table }],
    })
  }
  const tags = new Map<string, string[]>()
  for (const t of r.tags) {
    const i = t.indexOf(": ")
    const k = i < 0 ? "Other" : t.slice(0, i)
    tags.set(k, [...(tags.get(k) ?? []), i < 0 ? t : t.slice(i + 2)])
  }
  if (tags.size)
    sections.push({
      id: "elastic-tags",
      title: "Tags",
      after: "attack",
      blocks: [{ kind: "facts", label: "Tags", rows: [...tags].map(([label, value]) => ({ label, value })) }],
    })
  const blocks: PageBlock[] = []
  if (a.fields.length)
    blocks.push({ kind: "table", label: "Fields the query reads", columns: ["Field"], rows: a.fields.map((f) => [f]) })
  if (r.requiredFields.length)
    blocks.push({
      kind: "table",
      label: "required_fields",
      columns: ["Field", "Type", "ECS"],
      rows: r.requiredFields.map((f) => [f.name, f.type ?? "", f.ecs === undefined ? "" : String(f.ecs)]),
    })
  if (r.relatedIntegrations.length)
    blocks.push({
      kind: "table",
      label: "related_integrations",
      columns: ["Package", "Integration", "Version"],
      rows: r.relatedIntegrations.map((f) => [f.package, f.integration ?? "", f.version ?? ""]),
    })
  if (blocks.length) sections.push({ id: "elastic-fields", title: "Required fields", after: "search", blocks })
  if (r.note)
    sections.push({
      id: "investigation-guide",
      title: "Investigation guide",
      after: "risk",
      blocks: [{ kind: "markdown", markdown: r.note }],
    })
  if (r.setup)
    sections.push({ id: "setup", title: "Setup", after: "risk", blocks: [{ kind: "markdown", markdown: r.setup }] })
  return sections
}

export const elasticFormat: RuleFormat = {
  ...elasticTesting,
  claims: looksLikeElastic,
  unclaimedReason: (f) => (/\.toml$/i.test(f.rel) ? "a TOML file without a [rule] table" : undefined),
  load: (file, context) => {
    if (file.text === undefined) {
      const reason = file.readError ?? "could not be read"
      return {
        detections: [],
        diagnostics: [{ path: file.path, line: 0, column: 0, severity: "error", code: "unreadable", message: reason }],
        file: { kind: "detection", status: "rejected", reason },
      }
    }
    const r = loadElasticFile(file, context.attack)
    if (!r.detection) {
      const e = r.diagnostics.find((d) => d.severity === "error")
      return {
        detections: [],
        diagnostics: r.diagnostics,
        file: { kind: "detection", status: "rejected", reason: e ? `${e.code}: ${e.message}` : "rejected" },
      }
    }
    return { detections: [r.detection], diagnostics: r.diagnostics, file: { kind: "detection", status: "loaded" } }
  },
  // The queries were parsed while reading: they need nothing from other files.
  analyser: () => (d) => (d.analysis ? { analysis: d.analysis, diagnostics: [] } : { diagnostics: [] }),
  // `Data Source:` tags name products (Sysmon, Elastic Defend), with the data_sources/ names the
  // tags and event categories imply put first: a name the catalog defines links to its page.
  dataSourceNames: "labels",
  pageSections: (d) => {
    const detail = elasticDetail(d.analysis)
    return detail ? elasticSections(detail) : []
  },
  report: (detections) => ({
    elastic: elasticReport(
      detections.map((d) => elasticDetail(d.analysis)).filter((x): x is ElasticDetail => x !== undefined),
    ),
  }),
}

/** Counts for report.json: rules per type and language, how many one event decides, and why not. */
export function elasticReport(details: readonly ElasticDetail[]): Record<string, unknown> {
  const byType: Record<string, { rules: number; evaluable: number; notEvaluable: Record<string, number> }> = {}
  let parsed = 0
  let queries = 0
  for (const { rule, query } of details) {
    const k = `${rule.type}/${rule.language ?? "none"}`
    const t = (byType[k] ??= { rules: 0, evaluable: 0, notEvaluable: {} })
    t.rules++
    if (query.evaluable) t.evaluable++
    else {
      const why = query.parseError
        ? "query outside the parsed subset"
        : query.kind === "single-event"
          ? // The construct itself (`cidrMatch() with a non-literal subnet`), not the rule's words.
            `one event cannot decide: ${query.unsupported[0] ?? "an unsupported construct"}`
          : query.label
      t.notEvaluable[why] = (t.notEvaluable[why] ?? 0) + 1
    }
    if (rule.language === "eql" || rule.language === "kuery") {
      queries++
      if (!query.parseError) parsed++
    }
  }
  return {
    rules: details.length,
    evaluable: details.filter((d) => d.query.evaluable).length,
    buildingBlocks: details.filter((d) => d.rule.buildingBlock).length,
    deprecated: details.filter((d) => d.rule.deprecated).length,
    queriesParsed: { parsed, of: queries },
    byType,
  }
}
