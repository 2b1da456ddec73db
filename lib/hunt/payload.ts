/**
 * What the browser's hunt loads: the hunted rules as the tester's lean rows plus the ATT&CK
 * mapping (for the heatmap and the layer) and, for rules run over the log, their stages' text
 * (the multi-event plan is built from it); the rules not hunted with the reason.
 *
 * Owns: `huntPayload` (build time) and `fromHuntPayload` (in the worker).
 * Invariants: plain JSON; `fromHuntPayload(huntPayload(d))` hunts like `d` (hunt.test.ts).
 * Must never import: React, Next, Node built-ins.
 */
import { installAddOnTable, type AddOnTable } from "../events/addon.ts"
import type { Detection, LookupTableData } from "../model/types.ts"
import { fromTesterRules, testerRules, type TesterRule } from "../tester/rules-data.ts"
import { compileHunt, wantsLogPlan, type HuntCatalog, type NotHunted } from "./hunt.ts"

export type HuntRuleRow = TesterRule & {
  attack: Array<{ id: string; name?: string; tactics: string[] }>
  /** Stage texts, for the rules a log plan is tried for (the worker builds the same plans). */
  texts?: string[]
}

export type HuntPayload = {
  attackVersion: string
  rules: HuntRuleRow[]
  notHunted: NotHunted[]
  /** The add-on fields built raw events carry (lib/events/addon.ts), installed when the payload is read. */
  addOn?: AddOnTable
}

export function huntPayload(detections: readonly Detection[], attackVersion: string): HuntPayload {
  const cat = compileHunt(detections)
  const hunted = cat.rules.map((r) => r.detection)
  const rows = testerRules(hunted)
  const out: HuntRuleRow[] = rows.map((row, i) => {
    const r = cat.rules[i]!
    const attack = r.detection.attack
      .filter((a) => /^T\d{4}/.test(a.id))
      .map((a) =>
        a.name === undefined ? { id: a.id, tactics: a.tactics } : { id: a.id, name: a.name, tactics: a.tactics },
      )
    const extended: HuntRuleRow = { ...row, attack }
    if (wantsLogPlan(r.detection)) extended.texts = r.detection.analysis!.stages.map((s) => s.text)
    return extended
  })
  return { attackVersion, rules: out, notHunted: cat.notHunted }
}

/**
 * A hunt catalog holding only what the hunt reads: the rules go through the payload's lean rows,
 * so the loaded catalog (rule texts, descriptions, pages' data) can be let go before a long hunt.
 */
export function leanHunt(
  detections: readonly Detection[],
  lookupTables?: Readonly<Record<string, LookupTableData>>,
): HuntCatalog {
  const p = JSON.parse(JSON.stringify(huntPayload(detections, ""))) as HuntPayload
  const cat = compileHunt(fromHuntPayload(p), lookupTables ? { lookupTables } : {})
  cat.notHunted.push(...p.notHunted)
  return cat
}

/** The hunt catalog of a payload (as `/tester/hunt/rules.json` holds it); lookups stay undecided without tables. */
export function huntFromPayload(p: HuntPayload): HuntCatalog {
  if (typeof p !== "object" || p === null || !Array.isArray(p.rules) || !Array.isArray(p.notHunted))
    throw new Error("not a hunt rules file (expected {attackVersion, rules: [...], notHunted: [...]})")
  installAddOnTable(p.addOn)
  const cat = compileHunt(fromHuntPayload(p))
  cat.notHunted.push(...p.notHunted)
  return cat
}

/** The payload's rows as the detections compileHunt takes. */
export function fromHuntPayload(p: HuntPayload): Detection[] {
  const base = fromTesterRules(p.rules)
  return base.map((d, i) => {
    const row = p.rules[i]!
    const texts = row.texts
    const analysis =
      d.analysis && texts
        ? { ...d.analysis, stages: d.analysis.stages.map((s, k) => ({ ...s, text: texts[k] ?? "" })) }
        : d.analysis
    return { ...d, attack: row.attack.map((a) => ({ ...a, status: "known" as const })), analysis } as Detection
  })
}
