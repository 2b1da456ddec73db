/**
 * `analyzeSpl`: from a detection's search text to a JSON-serialisable SplAnalysis.
 *
 * Owns: the processing order — strip comments → expand macros → split on top-level
 * pipes → analyse stages in order — plus macro attribution, the combined predicate and the
 * rule-level evaluability verdict.
 *
 * Invariants:
 * - Pure and deterministic; never throws on rule text (problems become diagnostics/reasons).
 * - Leaf ids are numbered once over the combined predicate; stage predicates share the objects,
 *   so a trace id means the same leaf everywhere.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { and, numberLeaves } from "../../../predicate/build.ts"
import { CATEGORY_ORDER } from "./commands.ts"
import { expandMacros, unquoteArg, type MacroExpansion, type MacroLookup } from "./macros.ts"
import { newScope } from "./scope.ts"
import { analyzeStage, type StageContext } from "./stage.ts"
import { balanceProblems, splitPipes, stripComments } from "./text.ts"
import type { Reason, SplAnalysis, SplStage } from "./types.ts"

function macroLocator(expansions: MacroExpansion[]): (pos: number) => string | undefined {
  const live = expansions.filter((e) => e.status !== "unknown")
  return (pos) => {
    let best: MacroExpansion | undefined
    for (const e of live) if (e.start <= pos && pos < e.end && (!best || e.depth > best.depth)) best = e
    return best?.name
  }
}

export function analyzeSpl(search: string, macros: MacroLookup): SplAnalysis {
  const stripped = stripComments(search)
  const ex = expandMacros(stripped, macros)
  const expanded = ex.text
  const diagnostics = [...ex.diagnostics]
  for (const b of balanceProblems(stripped))
    diagnostics.push({ code: b.code, message: b.message, near: stripped.slice(b.offset, b.offset + 24).split("\n")[0] })
  let segments = splitPipes(expanded)
  const leadingPipe = segments.length > 1 && (segments[0]?.text.trim() ?? "") === ""
  if (leadingPipe) segments = segments.slice(1)

  const ctx: StageContext = {
    scope: newScope(),
    parse: { macroAt: macroLocator(ex.expansions) },
    droppedPrefixes: ex.expansions
      .filter((e) => e.status === "cim" && e.args[0])
      .map((e) => unquoteArg(e.args[0] as string)),
    firstStage: "none",
    unsupported: new Set(),
    notes: [],
  }
  const stages: SplStage[] = []
  const reasons: Reason[] = []
  for (const seg of segments) {
    const text = seg.text.trim()
    if (text === "") {
      diagnostics.push({ code: "empty-stage", message: `empty pipeline stage at offset ${seg.start}` })
      continue
    }
    const start = seg.start + (seg.text.length - seg.text.trimStart().length)
    const end = start + text.length
    const index = stages.length
    const word = /^[A-Za-z_]\w*/.exec(text)?.[0]
    const implicit = index === 0 && !leadingPipe && word?.toLowerCase() !== "search"
    const command = implicit ? "search" : text.startsWith("`") ? "`" : (word?.toLowerCase() ?? text.charAt(0))
    const cut = implicit || command === "`" ? 0 : (word?.length ?? 1)
    const inStage = ex.expansions.filter(
      (e) => e.start < end && (e.end > start || (e.start === e.end && e.start >= start)),
    )
    const stage: SplStage = {
      index,
      command: command === "`" ? "macro" : command,
      text,
      start,
      end,
      macros: [...new Set(inStage.map((e) => e.name))],
      role: "transform",
      evaluable: true,
    }
    const input = {
      index,
      command,
      body: text.slice(cut),
      bodyOffset: start + cut,
      implicit,
      fromFilterMacro: inStage.some((e) => e.status === "filter"),
    }
    const stageReasons = analyzeStage(input, ctx, stage)
    if (stageReasons.length) {
      stage.evaluable = false
      stage.reason = stageReasons.map((r) => r.message).join("; ")
      reasons.push(...stageReasons)
    }
    stages.push(stage)
  }
  if (stages.length === 0) reasons.push({ construct: "parse-error", category: "other", message: "empty search" })

  const predicate = numberLeaves(and(stages.flatMap((s) => (s.predicate ? [s.predicate] : []))))
  const requires = [...new Set(stages.flatMap((s) => s.requires ?? []))]
  const notes = [...ctx.notes]
  if (requires.length)
    notes.push({
      construct: "stats-by",
      category: "other",
      message: `Splunk drops the event unless it has ${requires.join(", ")} (stats BY without fillnull)`,
    })
  const category = CATEGORY_ORDER.find((c) => reasons.some((r) => r.category === c))
  const analysis: SplAnalysis = {
    expanded,
    stages,
    predicate,
    macroCalls: ex.expansions.map(({ name, args, status, depth, start, end }) => ({
      name,
      args,
      status,
      depth,
      start,
      end,
    })),
    diagnostics,
    evaluability: { evaluable: reasons.length === 0, reasons, notes, requires },
    parse: { firstStage: ctx.firstStage, unsupportedConstructs: [...ctx.unsupported] },
  }
  if (category) analysis.evaluability.category = category
  if (ctx.datamodel) analysis.datamodel = ctx.datamodel
  return analysis
}
