/**
 * A rule's `detection` section → its search identifiers as predicates, and the condition as one
 * predicate over them.
 *
 * Owns: the shapes a search identifier may take (map = AND, list of maps = OR, list of scalars =
 * keywords), condition expansion, and leaf numbering. Invariants: pure; never throws; leaf ids are
 * assigned across the selections in document order and the condition predicate reuses them, so a
 * trace of the whole rule points back into the selection it came from.
 * Never imports: React, Next, Node built-ins.
 */
import { and, clonePlain, countLeaves, not, numberLeaves, or, walkLeaves } from "../../predicate/build.ts"
import type { Predicate } from "../../predicate/types.ts"
import { parseCondition, referencedNames, type CondNode } from "./condition.ts"
import { compileEntry } from "./modifiers.ts"
import { selectionText } from "./selection-text.ts"
import type { SigmaIssue, SigmaSelection } from "./types.ts"

export interface DetectionResult {
  selections: SigmaSelection[]
  predicate: Predicate
  /** The condition as written; several conditions are joined with ` or `. */
  condition: string
  issues: SigmaIssue[]
  /** Why the rule cannot be decided on one event, if so. */
  unsupported?: string
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v)

interface Ctx {
  issues: SigmaIssue[]
  unsupported?: string
}

function compileMap(map: Record<string, unknown>, at: Array<string | number>, ctx: Ctx): Predicate {
  const keys = Object.keys(map)
  if (keys.length === 0)
    ctx.issues.push({
      severity: "error",
      code: "sigma-detection",
      message: "an empty map matches nothing; remove it",
      at,
    })
  return and(
    keys.map((key) => {
      const r = compileEntry(key, map[key])
      for (const m of r.errors)
        ctx.issues.push({ severity: "error", code: "sigma-modifier", message: `${key}: ${m}`, at: [...at, key] })
      for (const m of r.warnings)
        ctx.issues.push({ severity: "warning", code: "sigma-style", message: `${key}: ${m}`, at: [...at, key] })
      if (r.unsupported && !ctx.unsupported) ctx.unsupported = r.unsupported
      return r.predicate ?? { op: "false" }
    }),
  )
}

function compileSearch(value: unknown, at: Array<string | number>, ctx: Ctx): Predicate {
  if (isMap(value)) return compileMap(value, at, ctx)
  if (Array.isArray(value)) {
    if (value.length === 0)
      ctx.issues.push({
        severity: "error",
        code: "sigma-detection",
        message: "an empty list matches nothing; remove it",
        at,
      })
    const scalars = value.filter((v) => !isMap(v) && !Array.isArray(v))
    const nested = value
      .map((v, i) => (isMap(v) || Array.isArray(v) ? compileSearch(v, [...at, i], ctx) : null))
      .filter((p): p is Predicate => p !== null)
    const keywords = scalars.length > 0 ? [compileKeywords(scalars, at, ctx)] : []
    return or([...keywords, ...nested])
  }
  if (value === null) {
    ctx.issues.push({ severity: "error", code: "sigma-detection", message: "a search identifier cannot be null", at })
    return { op: "false" }
  }
  return compileKeywords([value], at, ctx)
}

function compileKeywords(values: unknown[], at: Array<string | number>, ctx: Ctx): Predicate {
  const r = compileEntry("", values)
  for (const m of r.errors)
    ctx.issues.push({ severity: "error", code: "sigma-modifier", message: `keywords: ${m}`, at })
  if (r.unsupported && !ctx.unsupported) ctx.unsupported = r.unsupported
  return r.predicate ?? { op: "false" }
}

/** Each use of a selection in the condition gets its own copy, since leaves are numbered afterwards. */
function fromCondition(node: CondNode, byName: Map<string, Predicate>): Predicate {
  const copy = (name: string): Predicate => clonePlain(byName.get(name) ?? { op: "false" })
  switch (node.k) {
    case "id":
      return copy(node.name)
    case "of": {
      const parts = node.names.map(copy)
      return node.quantifier === "all" ? and(parts) : or(parts)
    }
    case "not":
      return not(fromCondition(node.arg, byName))
    case "and":
      return and(node.args.map((a) => fromCondition(a, byName)))
    case "or":
      return or(node.args.map((a) => fromCondition(a, byName)))
  }
}

/** Compile a `detection` map. The caller has checked it is a map. */
export function compileDetection(detection: Record<string, unknown>): DetectionResult {
  const ctx: Ctx = { issues: [] }
  const names = Object.keys(detection).filter((k) => k !== "condition" && k !== "timeframe")
  if (names.length === 0)
    ctx.issues.push({
      severity: "error",
      code: "sigma-detection",
      message: "the detection has no search identifier",
      at: ["detection"],
    })
  const selections: SigmaSelection[] = names.map((name) => ({
    name,
    text: selectionText(name, detection[name]),
    predicate: compileSearch(detection[name], ["detection", name], ctx),
  }))
  let next = 1
  for (const s of selections) {
    numberLeaves(s.predicate, next)
    next += countLeaves(s.predicate)
    walkLeaves(s.predicate, (leaf) => {
      leaf.selection = s.name
    })
  }
  const rawCondition = detection.condition
  const conditions = Array.isArray(rawCondition) ? rawCondition : [rawCondition]
  const condition = conditions.map((c) => (typeof c === "string" ? c : "")).join(" or ")
  const byName = new Map(selections.map((s) => [s.name, s.predicate]))
  const parts: Predicate[] = []
  const used = new Set<string>()
  conditions.forEach((c, i) => {
    const at = Array.isArray(rawCondition) ? ["detection", "condition", i] : ["detection", "condition"]
    if (typeof c !== "string" || c.trim() === "") {
      ctx.issues.push({ severity: "error", code: "sigma-condition", message: "the condition is missing or empty", at })
      return
    }
    const parsed = parseCondition(c, names)
    if (!parsed.ok) {
      ctx.issues.push({ severity: "error", code: "sigma-condition", message: parsed.message, at })
      return
    }
    referencedNames(parsed.node, used)
    parts.push(fromCondition(parsed.node, byName))
  })
  for (const n of names) {
    if (!used.has(n) && parts.length > 0)
      ctx.issues.push({
        severity: "warning",
        code: "sigma-unused",
        message: `search identifier \`${n}\` is not used by the condition`,
        at: ["detection", n],
      })
  }
  const result: DetectionResult = { selections, predicate: or(parts), condition, issues: ctx.issues }
  if (ctx.unsupported) result.unsupported = ctx.unsupported
  return result
}
