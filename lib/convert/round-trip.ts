/**
 * Proof of a Sigma → SPL translation by round trip: events generated from the rule's own
 * conditions go through the Sigma engine (the rule's predicate) and through the SPL engine
 * (analyzeSpl of the translation); every pair of verdicts must agree.
 *
 * Owns: the generated events (positives from the whole rule and from each selection, one-field
 * mutations, case variants, other rules' events), the event each target's search reads (the raw
 * source's constant fields and `_raw`; the CIM fields through the mapping table), and the tally.
 * Invariants: pure; deterministic (no randomness: the same rule gives the same events); an SPL
 * verdict of 'unknown' is a disagreement, never skipped.
 * Never imports: React, Next, Node built-ins.
 */
import type { SigmaAnalysis } from "../formats/sigma/types.ts"
import { analyzeSpl, compileRule, matchRule, type CompiledRule } from "../formats/splunk/spl/index.ts"
import { compile, evaluate } from "../predicate/compile.ts"
import { EventView } from "../predicate/event-view.ts"
import type { Event, EventValue } from "../predicate/types.ts"
import { positiveEvents } from "../tester/example-event.ts"
import type { SplTarget, SplTranslation } from "./sigma-to-spl.ts"
import { cimDataset, rawSource } from "./spl-targets.ts"

/** Upper bounds that keep one rule's round trip to a few hundred events. */
const MAX_BASE = 4
const MAX_EVENTS = 400

const text = (v: EventValue): string | undefined =>
  v === null || v === undefined ? undefined : Array.isArray(v) ? v.join(" ") : String(v)

function uniq(events: Event[]): Event[] {
  const seen = new Set<string>()
  return events.filter((e) => {
    const k = JSON.stringify(Object.entries(e).sort(([a], [b]) => (a < b ? -1 : 1)))
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** The events one rule's round trip uses; `others` are other rules' positives (same logsource). */
export function roundTripEvents(sigma: SigmaAnalysis, others: Event[] = []): Event[] {
  const base = positiveEvents(sigma.predicate).slice(0, MAX_BASE)
  const out: Event[] = [...base]
  const seed = base[0] ?? {}
  // Each selection on its own, over the first positive: filters firing, alternatives alone.
  for (const s of sigma.selections)
    for (const e of positiveEvents(s.predicate).slice(0, 2)) {
      out.push(e)
      out.push({ ...seed, ...e })
    }
  for (const e of base) {
    for (const [k, v] of Object.entries(e)) {
      const t = text(v)
      if (t === undefined) continue
      const without: Event = { ...e }
      delete without[k]
      out.push(without)
      out.push({ ...e, [k]: `${t}x` })
      out.push({ ...e, [k]: `x${t}` })
      out.push({ ...e, [k]: t.length > 1 ? t.slice(1) : "" })
      out.push({ ...e, [k]: t.slice(0, -1) })
      out.push({ ...e, [k]: t.toUpperCase() })
      out.push({ ...e, [k]: t.toLowerCase() })
      out.push({ ...e, [k]: "" })
    }
    const up: Event = {}
    for (const [k, v] of Object.entries(e)) up[k] = text(v)?.toUpperCase() ?? v
    out.push(up)
  }
  out.push(...others, {})
  return uniq(out).slice(0, MAX_EVENTS)
}

/** The last path component, as the Windows add-ons derive a file name (backslash only). */
const winBasename = (path: string): string => path.slice(path.lastIndexOf("\\") + 1)

/** The raw event's fields and its text (`_raw`), as a search over the raw events reads them. */
function withRaw(event: Event, out: Event): Event {
  for (const [k, v] of Object.entries(event)) if (!(k in out)) out[k] = v
  // Splunk's free-text terms read _raw; the event's values stand for it.
  out._raw = Object.values(event)
    .map(text)
    .filter((v) => v !== undefined)
    .join("\n")
  return out
}

/**
 * The event as the translated search reads it: the raw event with its source's constant fields
 * (spl-raw); the data model's fields (tstats); the data model's fields beside the event's own
 * fields and text (a data-model search with strict_fields=false).
 */
export function splEvent(sigma: SigmaAnalysis, t: SplTranslation & { ok: true }, event: Event): Event {
  if (t.target === "spl-raw") {
    const src = rawSource(sigma.logsource)
    const out: Event = {}
    if (!("reason" in src)) {
      out.source = src.source
      if (src.codes[0] !== undefined) out.EventCode = String(src.codes[0])
      if (src.eventType?.[0] && event.EventType === undefined) out.EventType = src.eventType[0]
    }
    return withRaw(event, out)
  }
  const ds = cimDataset(sigma.logsource)
  if ("reason" in ds) return {}
  const out: Event = {}
  for (const [from, to] of Object.entries(ds.mapping)) {
    const [field, mod] = from.split("|")
    const v = text(event[field as string])
    if (v === undefined) continue
    out[`${ds.prefix}.${to}`] = mod === "endswith" ? winBasename(v) : v
  }
  return t.form === "datamodel" ? withRaw(event, out) : out
}

export interface Disagreement {
  event: Event
  sigma: boolean | "unknown"
  spl: boolean | "unknown"
}

export interface RoundTripResult {
  pairs: number
  agree: number
  disagreements: Disagreement[]
}

/** A compiled translation, to reuse over many events. */
export function compileTranslation(t: SplTranslation & { ok: true }): CompiledRule {
  return compileRule(analyzeSpl(t.search, new Map()))
}

/** Run the events through both engines. */
export function roundTrip(sigma: SigmaAnalysis, t: SplTranslation & { ok: true }, events: Event[]): RoundTripResult {
  const sigmaRule = compile(sigma.predicate)
  const spl = compileTranslation(t)
  const out: RoundTripResult = { pairs: 0, agree: 0, disagreements: [] }
  const src = rawSource(sigma.logsource)
  const kinds = "reason" in src ? undefined : src.eventType
  for (const raw of events) {
    // An event of a logsource whose events carry an EventType (Sysmon registry) has one; a
    // different one is another logsource's event, which the Sigma gate keeps from the rule.
    const event: Event = kinds && raw.EventType === undefined ? { ...raw, EventType: kinds[0] } : raw
    const admitted = !kinds || kinds.includes(text(event.EventType) ?? "")
    const a = admitted ? evaluate(sigmaRule, new EventView(event), { trace: false }).matched : false
    const b = matchRule(spl, splEvent(sigma, t, event), { metadata: "strict" })
    out.pairs++
    if (a === b) out.agree++
    else out.disagreements.push({ event, sigma: a, spl: b })
  }
  return out
}

/** Figures for one logsource (or any group of rules). */
export interface GroupStats {
  rules: number
  translated: Record<SplTarget, number>
  /** spl-cim translations by form: tstats, or a search over the data set's events. */
  cimForms: { tstats: number; datamodel: number }
  pairs: Record<SplTarget, number>
  agree: Record<SplTarget, number>
  /** Why rules were not translated: reason → count. */
  failed: Record<SplTarget, Record<string, number>>
  /** Rules with a disagreement (title, target, the first differing event). */
  disagreements: Array<{ title: string; target: SplTarget; search: string; sample: Disagreement }>
}

const TARGETS: SplTarget[] = ["spl-raw", "spl-cim"]

export const logsourceLabel = (s: SigmaAnalysis): string =>
  [s.logsource.product, s.logsource.category ?? s.logsource.service].filter(Boolean).join("/") || "(none)"

/** Round trip of many rules, grouped by logsource; `translate` is sigmaToSpl (passed in to keep this module below it). */
export function roundTripRules(
  rules: Array<{ title: string; analysis: SigmaAnalysis }>,
  translate: (s: SigmaAnalysis, t: SplTarget) => SplTranslation,
): Map<string, GroupStats> {
  const groups = new Map<string, GroupStats>()
  const pools = new Map<string, Event[]>()
  for (const r of rules) {
    const label = logsourceLabel(r.analysis)
    const pool = pools.get(label) ?? []
    if (pool.length < 200 && r.analysis.evaluable) pool.push(...positiveEvents(r.analysis.predicate).slice(0, 1))
    pools.set(label, pool)
  }
  for (const r of rules) {
    const label = logsourceLabel(r.analysis)
    let g = groups.get(label)
    if (!g) {
      const zero = () => ({ "spl-raw": 0, "spl-cim": 0 })
      g = {
        rules: 0,
        translated: zero(),
        cimForms: { tstats: 0, datamodel: 0 },
        pairs: zero(),
        agree: zero(),
        failed: { "spl-raw": {}, "spl-cim": {} },
        disagreements: [],
      }
      groups.set(label, g)
    }
    g.rules++
    const pool = pools.get(label) ?? []
    // Other rules' events: a fixed stride through the pool, so each rule meets different ones.
    const start = g.rules % Math.max(1, pool.length)
    const others = [0, 1, 2, 3, 4]
      .map((i) => pool[(start + i * 7) % Math.max(1, pool.length)])
      .filter((e): e is Event => !!e)
    let events: Event[] | undefined
    for (const target of TARGETS) {
      const t = translate(r.analysis, target)
      if (!t.ok) {
        // Grouped by kind of reason; the field a data model lacks stays named (what to map next).
        const reason = /^field `[^`]*` has no /.test(t.reason) ? t.reason : t.reason.replace(/`[^`]*`/g, "`…`")
        g.failed[target][reason] = (g.failed[target][reason] ?? 0) + 1
        continue
      }
      g.translated[target]++
      if (t.target === "spl-cim") g.cimForms[t.form ?? "tstats"]++
      events ??= roundTripEvents(r.analysis, others)
      const res = roundTrip(r.analysis, t, events)
      g.pairs[target] += res.pairs
      g.agree[target] += res.agree
      const first = res.disagreements[0]
      if (first) g.disagreements.push({ title: r.title, target, search: t.search, sample: first })
    }
  }
  return groups
}

/** A translation checked against the Sigma engine on the rule's own generated events (what its page states). */
export function proveTranslation(
  sigma: SigmaAnalysis,
  t: SplTranslation & { ok: true },
): { pairs: number; agree: number } {
  const r = roundTrip(sigma, t, roundTripEvents(sigma))
  return { pairs: r.pairs, agree: r.agree }
}
