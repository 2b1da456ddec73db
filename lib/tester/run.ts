/**
 * One tester request → one response: the form's input becomes events (built from a command line,
 * or read from pasted text) and is matched against the compiled catalog.
 *
 * Owns: the request/response messages between the tester page and its worker, and the form
 * state ↔ URL hash encoding used for permalinks.
 *
 * Invariants: pure and synchronous (runs in the worker and in Node tests); the response is plain
 * JSON. A pasted text holding several events is evaluated event by event and the reports are
 * listed in order.
 *
 * Must never import: React, Next, Node built-ins, DOM APIs.
 */
import type { Event } from "../predicate/types.ts"
import { buildProcessEvents, EventParseError, parseEvents } from "./event.ts"
import { DEFAULT_RISK_THRESHOLD, matchEvent, type CompiledCatalog, type MatchReport } from "./match.ts"

/** `ofn`: the original file name (PE header name) when it differs from the image's name. */
export type TesterForm = { mode: "cmd" | "event"; cmd: string; parent: string; user: string; host: string; ofn: string; event: string; threshold: number }

export const EMPTY_FORM: TesterForm = { mode: "cmd", cmd: "", parent: "", user: "", host: "", ofn: "", event: "", threshold: DEFAULT_RISK_THRESHOLD }

export type TesterRequest = { id: number; form: TesterForm }

export type TesterResponse =
  | { id: number; ok: true; events: Event[]; reports: MatchReport[] }
  | { id: number; ok: false; kind: "parse" | "load"; error: string }

/**
 * The built events as a pasted-event form, so a user can edit any field and evaluate again.
 * Each shape becomes one event of a JSON array, evaluated against every rule.
 */
export function builtToEventForm(form: TesterForm, events: Event[]): TesterForm {
  return { ...form, mode: "event", event: JSON.stringify(events, null, 2) }
}

/** True when the form holds nothing to evaluate. */
export function isEmptyForm(f: TesterForm): boolean {
  return (f.mode === "cmd" ? f.cmd : f.event).trim() === ""
}

export function runTester(catalog: CompiledCatalog, { id, form }: TesterRequest): TesterResponse {
  const threshold = Number.isFinite(form.threshold) ? form.threshold : DEFAULT_RISK_THRESHOLD
  if (form.mode === "cmd") {
    const opt = (s: string) => (s.trim() === "" ? undefined : s.trim())
    const input = { cmd: form.cmd, parent: opt(form.parent), user: opt(form.user), host: opt(form.host), originalFileName: opt(form.ofn ?? "") }
    const built = buildProcessEvents(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as { cmd: string })
    return { id, ok: true, events: [built.shapes.cim, built.shapes.sysmon, built.shapes.security4688, built.shapes.sigma], reports: [matchEvent(catalog, { built }, { threshold })] }
  }
  let events: Event[]
  try {
    events = parseEvents(form.event)
  } catch (e) {
    if (e instanceof EventParseError) return { id, ok: false, kind: "parse", error: `Could not read the pasted event: ${e.message}` }
    throw e
  }
  return { id, ok: true, events, reports: events.map((event) => matchEvent(catalog, { event }, { threshold })) }
}

const KEYS = ["cmd", "parent", "user", "host", "ofn", "event"] as const

/** Form → URL hash (`#cmd=…&parent=…`), empty fields left out. */
export function formToHash(f: TesterForm): string {
  const p = new URLSearchParams()
  if (f.mode === "event") p.set("mode", "event")
  for (const k of KEYS) if (f[k] !== "") p.set(k, f[k])
  if (f.threshold !== DEFAULT_RISK_THRESHOLD) p.set("threshold", String(f.threshold))
  const s = p.toString()
  return s ? `#${s}` : ""
}

/** URL hash → form; unknown keys ignored, missing ones empty. */
export function hashToForm(hash: string): TesterForm {
  const p = new URLSearchParams(hash.replace(/^#/, ""))
  const f: TesterForm = { ...EMPTY_FORM }
  for (const k of KEYS) f[k] = p.get(k) ?? ""
  f.mode = p.get("mode") === "event" || (f.event !== "" && f.cmd === "") ? "event" : "cmd"
  const t = Number(p.get("threshold"))
  if (p.has("threshold") && Number.isFinite(t)) f.threshold = t
  return f
}
