/**
 * The tester's form: its state, its URL-hash encoding for permalinks, and the request/response
 * messages exchanged with the worker.
 *
 * Owns: TesterForm, formToHash/hashToForm, the worker message types.
 * Invariants: imports no engine code, so the tester page's first load stays light; the engine
 * (run.ts, match.ts) loads in the worker only.
 *
 * Must never import: React, Next, Node built-ins, DOM APIs, or the tester engine.
 */
import type { Event } from "../predicate/types.ts"
import type { MatchReport } from "./match.ts"

/** Risk-based alerting threshold per entity (Splunk ES: `risk_score > 100`). */
export const DEFAULT_RISK_THRESHOLD = 100

/**
 * `ofn`: the original file name (PE header name) when it differs from the image's name.
 * `status`: the rule status groups counted in the verdict, comma-separated (verdict.ts); empty
 * for the default (production and experimental).
 */
export type TesterForm = {
  mode: "cmd" | "event"
  cmd: string
  parent: string
  user: string
  host: string
  ofn: string
  event: string
  threshold: number
  status: string
}

export const EMPTY_FORM: TesterForm = {
  mode: "cmd",
  cmd: "",
  parent: "",
  user: "",
  host: "",
  ofn: "",
  event: "",
  threshold: DEFAULT_RISK_THRESHOLD,
  status: "",
}

export type TesterRequest = { id: number; form: TesterForm }

export type TesterResponse =
  | {
      id: number
      ok: true
      events: Event[]
      reports: MatchReport[]
      /** One heading per report when there are several (derived inputs say they are derived). */
      labels?: string[]
      /** Encoded PowerShell found in the input: the decoded script, or why it is not one. */
      derived?: Array<{ flag: string; script?: string; error?: string }>
    }
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

const KEYS = ["cmd", "parent", "user", "host", "ofn", "event", "status"] as const

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
