/**
 * Sigma files → catalog Detections (format "sigma"): one per YAML document that loads.
 *
 * Owns: the mapping of Sigma attributes onto the shared Detection shape (title → name, level →
 * risk severity, attack.* tags → ATT&CK mappings through the catalog's resolver, logsource →
 * event coverage rows and the data source names other pages join on, `detection.*` tags → type).
 * Invariants: pure; never throws; a rule without an id gets a stable one from its path; later
 * documents of a multi-document file get `-2`, `-3`… slugs.
 * Never imports: React, Next, Node built-ins.
 */
import { isLeaf, type Predicate } from "../../predicate/types.ts"
import { logsourceCoverage } from "./logsource.ts"
import { readSigmaText, type SigmaRule } from "./index.ts"
import { sigmaRuleAnalysis } from "./analysis.ts"
import type { AttackResolver } from "../../model/types.ts"
import type { Detection, Diagnostic } from "../../model/types.ts"
import { detectionSlug, fileStem } from "../../model/util.ts"

/** Rule type from SigmaHQ's `detection.*` tags; plain rules are "Detection". */
const TYPE_BY_TAG: Record<string, string> = {
  "detection.threat-hunting": "Hunting",
  "detection.emerging-threats": "Emerging threat",
  "detection.dfir": "DFIR",
}

/** EventID values the detection looks for (positive tests only), e.g. for `service: security` rules. */
export function testedEventIds(p: Predicate, negated = false, out = new Set<string>()): string[] {
  if (isLeaf(p)) {
    if (!negated && p.op === "cmp" && p.field === "EventID" && p.cmpOp === "=") out.add(p.value)
    if (!negated && p.op === "in" && p.field === "EventID") for (const v of p.values) out.add(v)
  } else if (p.op === "not") testedEventIds(p.arg, !negated, out)
  else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) testedEventIds(a, negated, out)
  return [...out].filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b))
}

/** The detection as written, for the Search section and the search index. */
function detectionText(rule: SigmaRule): string {
  const a = rule.analysis
  if (a.kind === "correlation")
    return a.correlation ? `correlation: ${a.correlation.type} of ${a.correlation.rules.join(", ")}` : ""
  return [...a.selections.map((s) => s.text), `condition: ${a.condition}`].join("\n")
}

function toDetection(path: string, raw: string, rule: SigmaRule, slug: string, attack: AttackResolver): Detection {
  const a = rule.analysis
  const mappings = rule.techniques.map((t) => attack.resolve(t))
  const coverage = a.kind === "detection" ? logsourceCoverage(a.logsource, testedEventIds(a.predicate)) : []
  const typeTag = a.tags.find((t) => TYPE_BY_TAG[t])
  const dataSources = [...new Set(coverage.map((c) => c.dataSource))]
  const d: Detection = {
    format: "sigma",
    id: rule.id ?? `sigma-${slug}`,
    name: rule.title,
    slug,
    status: rule.status ?? "unset",
    type: a.kind === "correlation" ? "Correlation" : typeTag ? (TYPE_BY_TAG[typeTag] as string) : "Detection",
    author: rule.author,
    description: rule.description,
    search: detectionText(rule),
    howToImplement: a.logsource.definition ?? "",
    knownFalsePositives: a.falsepositives.join("\n"),
    references: rule.references,
    dataSources,
    dataSourceGroups: dataSources.map((n) => [n]),
    stories: [],
    attack: mappings,
    products: a.logsource.product ? [a.logsource.product] : [],
    risk: { ...(a.level ? { severity: a.level } : {}), entities: [] },
    killChain: attack.killChain(mappings),
    nist: [],
    cis: [],
    drilldowns: [],
    tests: [],
    macros: [],
    path,
    raw,
    analysis: sigmaRuleAnalysis(a),
  }
  d.eventCoverage = coverage
  if (a.logsource.product) d.platform = a.logsource.product
  if (a.related.length > 0) d.related = a.related.map((r) => ({ id: r.id, type: r.type }))
  if (a.logsource.category ?? a.logsource.service) d.category = a.logsource.category ?? a.logsource.service
  if (rule.date) d.created = rule.date
  if (rule.modified) d.modified = rule.modified
  return d
}

/** Every rule of one Sigma file, with its diagnostics. */
export function loadSigmaFile(
  path: string,
  text: string,
  attack: AttackResolver,
): { detections: Detection[]; diagnostics: Diagnostic[]; rejected: number } {
  const r = readSigmaText(path, text)
  const stem = detectionSlug(fileStem(path))
  const detections = r.rules.map(({ rule }, i) =>
    toDetection(path, text, rule, i === 0 ? stem : `${stem}-${i + 1}`, attack),
  )
  return { detections, diagnostics: r.diagnostics, rejected: r.rejected }
}
