/**
 * The tester's "beside" view: for one event, every Sigma rule its logsource admits judged twice,
 * by the Sigma engine on the rule and by the SPL engine on the rule's translations, so a person
 * sees whether the Splunk search they would deploy fires where the Sigma rule does.
 *
 * Owns: the per-event comparison and a cache of compiled translations (one compile per rule and
 * target per process). Invariants: pure apart from that cache; the Sigma side is the rule's
 * predicate as the tester evaluates it; a rule the logsource gate keeps away is not judged.
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
import { sigmaToSpl, SPL_TARGETS, type SplTarget, type SplTranslation } from "./sigma-to-spl.ts"

export type TranslationVerdict = boolean | "unknown" | { reason: string }

export interface BesideVerdict {
  id: string
  name: string
  slug: string
  sigma: boolean | "unknown"
  spl: Record<SplTarget, TranslationVerdict>
  /** A translated target whose verdict differs from the Sigma engine's. */
  differs: SplTarget[]
}

type Compiled = {
  sigma: CompiledPredicate
  spl: Record<SplTarget, { rule: CompiledRule; translation: SplTranslation & { ok: true } } | { reason: string }>
}
const cache = new WeakMap<SigmaAnalysis, Compiled>()

function compiled(sigma: SigmaAnalysis): Compiled {
  let c = cache.get(sigma)
  if (!c) {
    const spl = {} as Compiled["spl"]
    for (const target of SPL_TARGETS) {
      const t = sigmaToSpl(sigma, target)
      spl[target] = t.ok ? { rule: compileTranslation(t), translation: t } : { reason: t.reason }
    }
    c = { sigma: compile(sigma.predicate), spl }
    cache.set(sigma, c)
  }
  return c
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
    if (
      !sigma ||
      sigma.kind !== "detection" ||
      !sigma.evaluable ||
      (sources && !logsourceAdmits(sigma.logsource, sources))
    )
      continue
    const c = compiled(sigma)
    const verdict = evaluate(c.sigma, event, { trace: false }).matched
    const spl = {} as Record<SplTarget, TranslationVerdict>
    const differs: SplTarget[] = []
    for (const target of SPL_TARGETS) {
      const t = c.spl[target]
      if ("reason" in t) {
        spl[target] = { reason: t.reason }
        continue
      }
      spl[target] = matchRule(t.rule, splEvent(sigma, t.translation, event), { metadata: "strict" })
      if (spl[target] !== verdict) differs.push(target)
    }
    out.push({ id: d.id, name: d.name, slug: d.slug, sigma: verdict, spl, differs })
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
