/**
 * The tester's "beside" view: for one event, every Sigma rule its logsource admits judged twice,
 * by the Sigma engine on the rule and by the SPL engine on the rule's translations, so a person
 * sees whether the Splunk search they would deploy fires where the Sigma rule does.
 *
 * Owns: the per-event comparison (one rule: besideRule, what the browser tester asks for a rule it
 * shows; every rule an event reaches: translationsBeside, what `atlas match --spl` prints) and a
 * cache of compiled translations (one compile per rule and target per process, by the rule's
 * analysis object).
 * Invariants: pure apart from that cache; the Sigma side is the rule's predicate as the tester
 * evaluates it; a rule the logsource gate keeps away is not judged.
 * Never imports: React, Next, Node built-ins.
 */
import { sigmaAnalysisOf } from "../formats/sigma/analysis.ts"
import { logsourceAdmits } from "../formats/sigma/logsource.ts"
import type { SigmaAnalysis, SigmaLogsource } from "../formats/sigma/types.ts"
import { matchRule, type CompiledRule } from "../formats/splunk/spl/index.ts"
import type { Detection } from "../model/types.ts"
import { compile, evaluate, type CompiledPredicate } from "../predicate/compile.ts"
import type { Event } from "../predicate/types.ts"
import { compileTranslation, splEvent } from "./round-trip.ts"
import { sigmaToSpl, SPL_TARGETS, translationLabel, type SplTarget, type SplTranslation } from "./sigma-to-spl.ts"

export type TranslationVerdict = boolean | "unknown" | { reason: string }

export interface BesideVerdict {
  id: string
  name: string
  slug: string
  sigma: boolean | "unknown"
  spl: Record<SplTarget, TranslationVerdict>
  /** Each target's name as a page shows it (with the form spl-cim took). */
  labels: Record<SplTarget, string>
  /** A translated target whose verdict differs from the Sigma engine's. */
  differs: SplTarget[]
}

type Compiled = {
  sigma: CompiledPredicate
  spl: Record<SplTarget, { rule: CompiledRule; translation: SplTranslation & { ok: true } } | { reason: string }>
}
const cache = new WeakMap<object, Compiled>()

function compiled(key: object, sigma: SigmaAnalysis): Compiled {
  let c = cache.get(key)
  if (!c) {
    const spl = {} as Compiled["spl"]
    for (const target of SPL_TARGETS) {
      const t = sigmaToSpl(sigma, target)
      spl[target] = t.ok ? { rule: compileTranslation(t), translation: t } : { reason: t.reason }
    }
    c = { sigma: compile(sigma.predicate), spl }
    cache.set(key, c)
  }
  return c
}

/** One rule of a translated format judged on `event` by its own engine and by the SPL engine on its translations; undefined for any other rule. */
export function besideRule(d: Detection, event: Event): BesideVerdict | undefined {
  const sigma = d.format === "sigma" && d.analysis ? sigmaAnalysisOf(d.analysis) : undefined
  if (!sigma || sigma.kind === "correlation" || !sigma.evaluable) return undefined
  const c = compiled(d.analysis as object, sigma)
  const verdict = evaluate(c.sigma, event, { trace: false }).matched
  const spl = {} as Record<SplTarget, TranslationVerdict>
  const labels = {} as Record<SplTarget, string>
  const differs: SplTarget[] = []
  for (const target of SPL_TARGETS) {
    const t = c.spl[target]
    if ("reason" in t) {
      spl[target] = { reason: t.reason }
      labels[target] = translationLabel({ target })
      continue
    }
    labels[target] = translationLabel(t.translation)
    spl[target] = matchRule(t.rule, splEvent(sigma, t.translation, event), { metadata: "strict" })
    if (spl[target] !== verdict) differs.push(target)
  }
  return { id: d.id, name: d.name, slug: d.slug, sigma: verdict, spl, labels, differs }
}

/**
 * Each evaluable Sigma rule the sources admit, judged on `event` (in Sigma's field names) by both
 * engines. `sources` undefined: the event names no logsource and reaches every rule, as in the tester.
 */
export function translationsBeside(
  detections: readonly Detection[],
  event: Event,
  sources: SigmaLogsource[] | undefined,
): BesideVerdict[] {
  const out: BesideVerdict[] = []
  for (const d of detections) {
    const sigma = d.format === "sigma" && d.analysis ? sigmaAnalysisOf(d.analysis) : undefined
    if (sigma && sources && !logsourceAdmits(sigma.logsource, sources)) continue
    const v = besideRule(d, event)
    if (v) out.push(v)
  }
  return out
}

/** One verdict in words. */
export function verdictText(v: TranslationVerdict): string {
  return typeof v === "object"
    ? `not translated (${v.reason})`
    : v === "unknown"
      ? "undecided"
      : v
        ? "fires"
        : "does not fire"
}
