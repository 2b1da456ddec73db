/**
 * Runs the SPL engine over every Splunk detection of an assembled catalog, once, at load time.
 *
 * Owns: attaching `Detection.analysis` and turning the engine's macro diagnostics (unknown
 * macro, cycle, nesting too deep, expansion budget, unterminated call, unbalanced quotes,
 * parentheses and brackets) into catalog diagnostics positioned in the rule file.
 * Invariants: never throws; an exception while analysing one rule becomes an `spl-analysis`
 * error on that rule, which stays loaded without an analysis. Macros are keyed by name and
 * arity, so `x(1)` and `x(2)` are different macros. Pure and deterministic.
 * Never imports: React, Next, Node built-ins.
 */
import { analyzeSpl } from "./spl/analyze.ts"
import { macroKey, macroMap, type Diagnostic as SplDiagnostic } from "./spl/macros.ts"
import type { MacroCall, SplAnalysis } from "./spl/types.ts"
import type { RuleAnalysis } from "../../predicate/analysis.ts"
import type { Detection, Diagnostic, Macro } from "../../model/types.ts"
import { positionOf } from "../../source/diagnostics.ts"
import { splRuleAnalysis } from "./analysis.ts"

/** Macros that come from Splunk add-ons, not from the repository. */
export const EXTERNAL_MACROS = new Set([
  "drop_dm_object_name",
  "get_asset",
  "get_risk_severity",
  "cim_corporate_web_domain_search",
  "globedistance",
])

/** Engine diagnostic codes that stand for one unresolved macro call, recorded in call order. */
const MACRO_CODES = new Set(["unresolved-macro", "macro-cycle", "macro-recursion", "macro-limit"])

/**
 * Problems that make Splunk refuse the search outright (as do an unterminated macro call and
 * unbalanced quotes, parentheses or brackets): errors, though the rule stays loaded so its page
 * can show what is wrong. An unknown macro stays a warning (an add-on may define it).
 */
const SEARCH_ERRORS = new Set(["macro-cycle", "macro-recursion", "macro-limit"])
const BALANCE_CODES = new Set(["unbalanced-quote", "unbalanced-paren", "unbalanced-bracket"])

/** Catalog code for each engine code; the unknown-macro code predates the engine. */
const CODE: Record<string, string> = { "unresolved-macro": "unknown-macro" }

type Position = (needle: string) => { line: number; column: number }

/**
 * The analyser of Splunk rules for one catalog: macros are looked up by name and arity among the
 * catalog's macros. An exception while analysing one rule becomes an `spl-analysis` error.
 */
export function splunkAnalyser(
  macros: readonly Macro[],
  /** Whether the content holds a lookup table's data, by the name rules use. */
  lookupTable?: (name: string) => boolean,
): (d: Detection) => { analysis?: RuleAnalysis; diagnostics: Diagnostic[] } {
  const lookup = macroMap([...macros])
  return (d) => {
    const at: Position = (needle) => positionOf(d.raw, needle)
    try {
      const spl = analyzeSpl(d.search, lookup, lookupTable ? { lookupTable } : {})
      return { analysis: splRuleAnalysis(spl), diagnostics: macroDiagnostics(d, spl, at) }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      return {
        diagnostics: [
          {
            path: d.path,
            ...at("search:"),
            severity: "error",
            code: "spl-analysis",
            message: `the SPL engine failed on this search: ${message}`,
          },
        ],
      }
    }
  }
}

/** Analyse every Splunk rule of a list in place; returns the diagnostics (the catalog loader uses splunkAnalyser). */
export function analyzeDetections(detections: Detection[], macros: readonly Macro[]): Diagnostic[] {
  const analyse = splunkAnalyser(macros)
  const out: Diagnostic[] = []
  for (const d of detections) {
    if (d.format !== "splunk") continue
    const r = analyse(d)
    if (r.analysis) d.analysis = r.analysis
    else delete d.analysis
    out.push(...r.diagnostics)
  }
  return out
}

/**
 * The engine records an unresolved call in `macroCalls` (status `unknown`) and its diagnostic in
 * the same step, so the two lists pair up in order. A call nested in a macro body is reported at
 * the top-level call that led to it, since that is what the rule file contains.
 */
export function macroDiagnostics(d: Pick<Detection, "path">, a: SplAnalysis, at: Position): Diagnostic[] {
  const calls = a.macroCalls
  const unknown = calls.map((c, i) => ({ c, i })).filter(({ c }) => c.status === "unknown")
  const macroDiags = a.diagnostics.filter((x) => MACRO_CODES.has(x.code))
  const out: Diagnostic[] = []
  const seen = new Set<string>()
  macroDiags.forEach((diag, n) => {
    const hit = unknown[n]
    if (!hit) return
    const { c, i } = hit
    if (diag.code === "unresolved-macro" && EXTERNAL_MACROS.has(c.name)) return
    const root = rootCall(calls, i)
    const key = `${diag.code}|${macroKey(c.name, c.args.length)}|${root?.name ?? ""}`
    if (seen.has(key)) return
    seen.add(key)
    out.push(toDiagnostic(d, diag, c, root, at))
  })
  for (const diag of a.diagnostics.filter((x) => x.code === "unterminated-macro")) {
    out.push({ path: d.path, ...at("search:"), severity: "error", code: diag.code, message: `search: ${diag.message}` })
  }
  for (const diag of a.diagnostics.filter((x) => BALANCE_CODES.has(x.code))) {
    const near = diag.near?.trim()
    const pos = near ? at(near) : undefined
    const where = pos && pos.line > 1 ? pos : at("search:")
    out.push({
      path: d.path,
      ...where,
      severity: "error",
      code: diag.code,
      message: `search: ${diag.message}${near ? ` (near \`${near}\`)` : ""}`,
    })
  }
  return out
}

/** The depth-0 call an expansion descends from: calls are recorded parent first. */
function rootCall(calls: MacroCall[], i: number): MacroCall | undefined {
  if (calls[i]?.depth === 0) return undefined
  for (let j = i - 1; j >= 0; j--) if (calls[j]?.depth === 0) return calls[j]
  return undefined
}

function toDiagnostic(
  d: Pick<Detection, "path">,
  diag: SplDiagnostic,
  c: MacroCall,
  root: MacroCall | undefined,
  at: Position,
): Diagnostic {
  const via = root ? ` (reached through \`${root.name}\`)` : ""
  const message =
    diag.code === "unresolved-macro"
      ? `macro \`${macroKey(c.name, c.args.length)}\` is not defined in macros/${via}`
      : `${diag.message}${via}`
  const severity = SEARCH_ERRORS.has(diag.code) ? "error" : "warning"
  return { path: d.path, ...at(`\`${(root ?? c).name}`), severity, code: CODE[diag.code] ?? diag.code, message }
}
