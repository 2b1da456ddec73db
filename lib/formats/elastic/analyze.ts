/**
 * What one event can say about an Elastic rule: the query parsed into the shared predicate and
 * the rule labelled by what an alert needs beyond one event.
 *
 * Owns: dispatch on rule type and language; the labels (single-event, novelty, aggregation,
 * indicator match, multi-event, ES|QL, machine learning, unsupported language); applying
 * `[[rule.filters]]` as the extra conditions they are; the fields a query reads.
 *
 * Invariants:
 * - Never throws on rule input: a query outside our subset gives `parseError` with its position
 *   in the file, and the rule is still catalogued.
 * - Only single-event rules (EQL without sequence/sample, `query` KQL) are `evaluable`; for
 *   new_terms / threshold / threat_match the predicate is the candidate filter and `reason` says
 *   what else the alert needs; sequence stages are filters of their own.
 *
 * Never imports: React, Next, Node built-ins.
 */
import { and, leaves, numberLeaves } from "../../predicate/build.ts"
import type { Predicate } from "../../predicate/types.ts"
import { parseEql, QueryError } from "./eql.ts"
import { parseKql } from "./kql.ts"
import { exactLeaf, existsLeaf, notP, patternLeaf } from "./leaves.ts"
import type { ElasticAnalysis, ElasticFilter, ElasticRule, ElasticStage } from "./types.ts"

/** Line and column of `offset` in `text`, 1-based. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const line = before.split("\n").length
  return { line, column: offset - before.lastIndexOf("\n") }
}

function filterPredicate(f: ElasticFilter): Predicate | undefined {
  if (f.disabled || !f.field) return undefined
  let p: Predicate
  if (f.kind === "exists") p = existsLeaf(f.field)
  else if (f.kind === "wildcard" && f.value !== undefined)
    p = patternLeaf(f.field, f.value, f.caseInsensitive === true, true)
  else if ((f.kind === "match_phrase" || f.kind === "term") && f.value !== undefined)
    p = exactLeaf(f.field, f.value, false)
  else return undefined
  return f.negate ? notP(p) : p
}

const fieldsOf = (preds: Predicate[]): string[] => {
  const out = new Set<string>()
  for (const p of preds) for (const l of leaves(p)) if ("field" in l) out.add(l.field)
  return [...out].sort()
}

const unsupportedOf = (preds: Predicate[]): string[] => {
  const out = new Set<string>()
  for (const p of preds) for (const l of leaves(p)) if (l.op === "unknown") out.add(l.reason)
  return [...out]
}

const NEEDS: Record<string, { kind: ElasticAnalysis["kind"]; label: string; reason: (r: ElasticRule) => string }> = {
  new_terms: {
    kind: "novelty",
    label: "single-event filter + novelty",
    reason: (r) =>
      `alerts only when ${r.newTerms?.fields.join(", ") || "the new-terms fields"} take a value not seen since ${r.newTerms?.historyWindowStart ?? "the history window"}`,
  },
  threshold: {
    kind: "aggregation",
    label: "aggregation (threshold)",
    reason: (r) =>
      `alerts when at least ${r.threshold?.value ?? "N"} matching events${r.threshold?.fields.length ? ` share ${r.threshold.fields.join(", ")}` : ""}${r.threshold?.cardinality.length ? ` with ${r.threshold.cardinality.map((c) => `≥ ${c.value} distinct ${c.field}`).join(", ")}` : ""} within the look-back`,
  },
  threat_match: {
    kind: "indicator-match",
    label: "indicator match",
    reason: (r) =>
      `alerts when a field of a matching event equals a threat indicator in ${r.threatMatch?.index.join(", ") || "the threat index"}`,
  },
}

export function analyzeElastic(rule: ElasticRule): ElasticAnalysis {
  const base = {
    stages: [] as ElasticStage[],
    joinKeys: [] as string[],
    unsupported: [] as string[],
    fields: [] as string[],
  }
  const lang = rule.language
  if (rule.type === "machine_learning")
    return {
      ...base,
      kind: "machine-learning",
      label: "machine learning",
      evaluable: false,
      reason: `alerts on anomaly scores of the ML job${rule.machineLearning && rule.machineLearning.jobs.length > 1 ? "s" : ""} ${rule.machineLearning?.jobs.join(", ") ?? ""}${rule.machineLearning?.anomalyThreshold !== undefined ? ` at or above ${rule.machineLearning.anomalyThreshold}` : ""}`,
    }
  if (lang === "esql") {
    const stats = /\|\s*(inline\s+)?stats\b/i.test(rule.query ?? "")
    return {
      ...base,
      kind: stats ? "aggregation" : "esql",
      label: stats ? "aggregation (ES|QL STATS)" : "ES|QL filter",
      language: lang,
      evaluable: false,
      reason: stats
        ? "an ES|QL pipeline that aggregates many events (STATS)"
        : "an ES|QL pipeline: evaluable with an ES|QL engine, which the catalog does not run",
    }
  }
  if (lang === "lucene")
    return {
      ...base,
      kind: "unsupported",
      label: "unsupported language (Lucene)",
      language: lang,
      evaluable: false,
      reason: "Lucene query syntax is not evaluated",
    }

  const query = rule.query ?? ""
  const extra = rule.filters.map(filterPredicate).filter((p): p is Predicate => p !== undefined)
  try {
    if (lang === "eql") {
      const q = parseEql(query, rule.eventCategoryOverride ?? "event.category")
      if (q.kind === "event") {
        const s = q.stages[0]!
        const predicate = numberLeaves(and([s.predicate, ...extra]))
        const unsupported = unsupportedOf([predicate])
        const a: ElasticAnalysis = {
          ...base,
          kind: "single-event",
          label: "single event",
          language: lang,
          shape: "event",
          predicate,
          evaluable: unsupported.length === 0,
          unsupported,
          fields: fieldsOf([predicate]),
        }
        a.stages = [{ category: s.category, text: s.text, predicate, by: [] }]
        if (unsupported.length) a.reason = `uses what one event cannot decide here: ${unsupported.join("; ")}`
        if (q.pipes.length) a.reason = `${a.reason ? `${a.reason}; ` : ""}pipes ${q.pipes.join(", ")} limit the alerts`
        return a
      }
      const stages: ElasticStage[] = q.stages.map((s) => ({
        category: s.category,
        text: s.text,
        predicate: s.predicate,
        by: s.by,
        ...(s.runs !== undefined ? { runs: s.runs } : {}),
        ...(s.missing ? { missing: true } : {}),
      }))
      if (q.until)
        stages.push({
          category: q.until.category,
          text: q.until.text,
          predicate: q.until.predicate,
          by: q.until.by,
          until: true,
        })
      const preds = stages.map((s) => s.predicate)
      const n = q.stages.length
      const runs = q.stages.length === 1 && q.stages[0]!.runs ? ` repeated ${q.stages[0]!.runs} times` : ""
      return {
        ...base,
        kind: "multi-event",
        label: q.kind === "sample" ? "multi-event (sample)" : "multi-event (sequence)",
        language: lang,
        shape: q.kind,
        stages,
        joinKeys: q.by,
        ...(q.maxspan ? { maxspan: q.maxspan } : {}),
        evaluable: false,
        reason: `${q.kind === "sample" ? "a sample" : "a sequence"} of ${n} event${n === 1 ? "" : "s"}${runs}${q.by.length ? ` joined by ${q.by.join(", ")}` : ""}${q.maxspan ? ` within ${q.maxspan}` : ""}: one event can only match a stage`,
        unsupported: unsupportedOf(preds),
        fields: fieldsOf(preds),
      }
    }
    // kuery
    const predicate = numberLeaves(and([parseKql(query), ...extra]))
    const unsupported = unsupportedOf([predicate])
    const needs = NEEDS[rule.type]
    const a: ElasticAnalysis = {
      ...base,
      kind: needs?.kind ?? "single-event",
      label: needs?.label ?? "single event",
      language: lang ?? "kuery",
      predicate,
      evaluable: !needs && unsupported.length === 0,
      unsupported,
      fields: fieldsOf([predicate]),
    }
    if (needs) a.reason = needs.reason(rule)
    else if (unsupported.length) a.reason = `uses what one event cannot decide here: ${unsupported.join("; ")}`
    return a
  } catch (e) {
    if (!(e instanceof QueryError)) throw e
    const pos = position(query, e.offset)
    const line = rule.queryLine > 0 ? rule.queryLine + pos.line - 1 : 0
    const needs = NEEDS[rule.type]
    return {
      ...base,
      kind: needs?.kind ?? (/^\s*(sequence|sample)\b/.test(query) ? "multi-event" : "single-event"),
      label: needs?.label ?? "single event",
      ...(lang ? { language: lang } : {}),
      evaluable: false,
      reason: `the ${lang === "eql" ? "EQL" : "KQL"} query does not parse in the catalog's subset: ${e.message}`,
      parseError: { message: e.message, line, column: line > 0 ? pos.column : 0 },
    }
  }
}
