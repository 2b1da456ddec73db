/**
 * Analysis of one pipeline stage against the running field scope.
 *
 * Owns: the per-command decision — generating (tstats / search / non-event), filter, transform,
 * aggregate or blocker — and the reasons a stage cannot be evaluated for a single event.
 *
 * Invariants:
 * - Stages are analysed strictly in pipeline order; each call may mutate `ctx.scope`/`ctx.taint`.
 * - Never guesses: unsupported constructs become reasons on the stage, never silent passes.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { walkLeaves } from "../../../predicate/build.ts"
import { compileRegex } from "../../../predicate/regex.ts"
import type { Predicate } from "../../../predicate/types.ts"
import {
  AGGREGATE_COMMANDS,
  FILTER_COMMANDS,
  TRANSFORM_COMMANDS,
  blockerFor,
  type BlockerCategory,
} from "./commands.ts"
import { parseDatamodelCommand } from "./datamodel-command.ts"
import { parseFilter } from "./filters.ts"
import { resolveLeaves } from "./resolve.ts"
import { defineField, resolveField, type Scope } from "./scope.ts"
import type { ParseContext } from "./search-parser.ts"
import { aggregateOrigin, applyTransform, requiredBy } from "./transforms.ts"
import { dataModelPrefixes, parseTstats } from "./tstats.ts"
import type { DataModelInfo, Reason, SplStage } from "./types.ts"

export type StageContext = {
  scope: Scope
  taint?: string
  parse: ParseContext
  /** Prefixes named in drop_dm_object_name calls of this rule. */
  droppedPrefixes: string[]
  datamodel?: DataModelInfo
  firstStage: "full" | "partial" | "none"
  unsupported: Set<string>
  notes: Reason[]
}

export type StageInput = {
  index: number
  command: string
  body: string
  bodyOffset: number
  implicit: boolean
  fromFilterMacro: boolean
}

const UNKNOWN_CATEGORY: Record<string, BlockerCategory> = {
  subsearch: "join",
  eventtype: "eventtype",
  tag: "eventtype",
}

/** Does the predicate fail whenever eventtype/tag leaves are false (they are "mandatory")? */
function needsKnowledgeObjects(p: Predicate): string | null {
  switch (p.op) {
    case "cmp":
    case "in":
      return p.meta && (p.field === "eventtype" || p.field === "tag" || p.field.startsWith("tag::"))
        ? p.field === "eventtype"
          ? "eventtype"
          : "tag"
        : null
    case "and":
      for (const a of p.args) {
        const r = needsKnowledgeObjects(a)
        if (r) return r
      }
      return null
    case "or": {
      const all = p.args.map(needsKnowledgeObjects)
      return all.every((x) => x !== null) ? (all[0] ?? null) : null
    }
    default:
      return null
  }
}

function filterReasons(stage: number, first: boolean, pred: Predicate, reasons: Reason[], notes: Reason[]): void {
  walkLeaves(pred, (l) => {
    if (l.op === "unknown") {
      const category = first && l.construct !== "eventtype" ? "first-stage" : (UNKNOWN_CATEGORY[l.construct] ?? "other")
      reasons.push({ construct: l.construct, category, stage, message: l.reason })
    } else if (l.op === "regex") {
      const r = compileRegex(l.pattern)
      if (!r.ok) reasons.push({ construct: "regex-unsupported", category: "other", stage, message: r.reason })
    } else if (l.op === "keyword" && !notes.some((n) => n.construct === "raw-text" && n.stage === stage))
      notes.push({
        construct: "raw-text",
        category: "other",
        stage,
        message: "free-text terms are matched against _raw",
      })
  })
}

export function analyzeStage(input: StageInput, ctx: StageContext, stage: SplStage): Reason[] {
  const { index, command, body, bodyOffset } = input
  const first = index === 0
  const reasons: Reason[] = []
  const { scope } = ctx
  const filterInto = (text: string, offset: number, cmd: string): void => {
    const f = parseFilter(cmd, text, offset, ctx.parse)
    const r = resolveLeaves(f.predicate, scope, index, ctx.taint)
    stage.predicate = r.predicate
    const aggregateRefs = [...r.aggregateRefs, ...f.fields.filter((x) => resolveField(scope, x).kind === "aggregate")]
    if (aggregateRefs.length)
      reasons.push({
        construct: "count-threshold",
        category: "aggregation",
        stage: index,
        message: `filters on aggregate ${[...new Set(aggregateRefs)].join(", ")} computed over many events`,
      })
    else if (r.derivedRefs.length && !ctx.taint)
      reasons.push({
        construct: "derived-field",
        category: "other",
        stage: index,
        message: `filters on ${[...new Set(r.derivedRefs)].join(", ")}, computed by an earlier stage the evaluator does not run`,
      })
    filterReasons(index, first, r.predicate, reasons, ctx.notes)
    if (first) {
      // An eventtype or tag the search cannot do without names where the event comes from, as
      // index and sourcetype do: its leaves are metadata, decided by the evaluator's metadata
      // setting (assumed to hold, unknown, or read from the event), not a blocker. They cannot be
      // evaluated from definitions: eventtypes and tags are defined by the Splunk add-ons
      // (eventtypes.conf, tags.conf), which a security_content folder does not hold; the
      // corpus uses them as data-source selectors (`wineventlog_system` is
      // `eventtype=wineventlog_system`) and never negates one.
      const ko = needsKnowledgeObjects(r.predicate)
      if (ko)
        ctx.notes.push({
          construct: ko,
          category: "eventtype",
          stage: index,
          message: `requires the search-time ${ko} definitions, which the Splunk add-ons hold and the content does not: read, like index and sourcetype, as where the event comes from`,
        })
      ctx.firstStage = f.errors.length || reasons.some((x) => x.category === "first-stage") ? "partial" : "full"
      for (const c of f.constructs) ctx.unsupported.add(c)
    }
    for (const e of f.errors) stage.notes = [...(stage.notes ?? []), `parse: ${e}`]
    if (f.errors.length && !f.constructs.includes("parse-error"))
      reasons.push({
        construct: "parse-error",
        category: first ? "first-stage" : "other",
        stage: index,
        message: `could not parse: ${f.errors.join("; ")}`,
      })
  }

  if (command === "tstats" && first) {
    stage.role = "generating"
    const info = parseTstats(body)
    const prefixes = dataModelPrefixes(info.datamodel, info.nodename)
    for (const p of [...prefixes, ...ctx.droppedPrefixes]) scope.dmPrefixes.add(p)
    if (info.datamodel) {
      ctx.datamodel = { name: info.datamodel, prefixes, by: info.by, fillnull: info.fillnull !== undefined }
      if (info.nodename) ctx.datamodel.nodename = info.nodename
    }
    if (info.where) filterInto(info.where.text, bodyOffset + info.where.offset, "search")
    else ctx.firstStage = "full"
    if (info.fillnull !== undefined) {
      for (const b of info.by) {
        const o = resolveField(scope, b)
        if (o.kind === "event") scope.filled.set(o.field, info.fillnull)
      }
    } else if (info.by.length) stage.requires = requiredBy(scope, info.by)
    for (const a of info.aggregates) defineField(scope, a.output, aggregateOrigin(scope, a))
    if (info.nodename)
      ctx.notes.push({
        construct: "nodename",
        category: "other",
        stage: index,
        message: `the event must belong to data-model node ${info.nodename}`,
      })
    return reasons
  }
  const dmCommand = command === "datamodel" && first ? parseDatamodelCommand(body) : undefined
  if (dmCommand) {
    // The data set's events, one by one: like a search over them, with no filter of its own.
    stage.role = "generating"
    stage.predicate = { op: "true" }
    for (const p of dmCommand.prefixes) scope.dmPrefixes.add(p)
    ctx.datamodel = { name: dmCommand.datamodel, prefixes: dmCommand.prefixes, by: [], fillnull: false }
    ctx.firstStage = "full"
    if (dmCommand.strictFields)
      reasons.push({
        construct: "datamodel",
        category: "non-event",
        stage: index,
        message:
          "`datamodel` without strict_fields=false keeps only the data model's own fields, which this evaluator does not list",
      })
    return reasons
  }
  if (FILTER_COMMANDS.has(command)) {
    stage.role = first ? "generating" : "filter"
    filterInto(body, bodyOffset, command)
    if (input.fromFilterMacro && stage.predicate?.op === "true")
      stage.notes = [...(stage.notes ?? []), "tuning hook: the `_filter` macro defaults to `search *`"]
    return reasons
  }
  if (command === "`") {
    stage.role = "blocker"
    ctx.taint = "unresolved-macro"
    if (first) ctx.firstStage = "none"
    return [
      {
        construct: "unresolved-macro",
        category: first ? "first-stage" : "other",
        stage: index,
        message: "a macro in this stage could not be expanded",
      },
    ]
  }
  const blocker =
    command === "tstats"
      ? { construct: "tstats", category: "join" as const, message: "a later `tstats` runs another search" }
      : blockerFor(command, first)
  if (blocker) {
    stage.role = "blocker"
    ctx.taint = blocker.construct
    if (first) ctx.firstStage = "none"
    return [{ ...blocker, stage: index }]
  }
  stage.role = AGGREGATE_COMMANDS.has(command) ? "aggregate" : "transform"
  if (TRANSFORM_COMMANDS.has(command) || command === "stats") {
    const eff = applyTransform(command, body, scope)
    if (eff.requires) stage.requires = eff.requires
    if (eff.notes) stage.notes = [...(stage.notes ?? []), ...eff.notes]
  }
  return reasons
}
