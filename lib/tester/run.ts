/**
 * One tester request → one response: the form's input becomes events (built from a command line,
 * or read from pasted text) and is matched against the compiled catalog.
 *
 * Owns: answering a TesterRequest (the form, its hash encoding and the message types live in
 * form.ts, which the page imports without the engine).
 *
 * Invariants: pure and synchronous (runs in the worker and in Node tests); the response is plain
 * JSON. A pasted text holding several events is evaluated event by event and the reports are
 * listed in order. Encoded PowerShell in the input adds derived inputs (powershell.ts), each
 * with its own report right after the report of the input it came from, and labelled derived.
 *
 * Must never import: React, Next, Node built-ins, DOM APIs.
 */
import type { Event } from "../predicate/types.ts"
import { buildProcessEvents, EventParseError, parseEvents, type ProcessInput } from "./event.ts"
import { DEFAULT_RISK_THRESHOLD, type TesterRequest, type TesterResponse } from "./form.ts"
import { matchEvent, type CompiledCatalog, type MatchReport } from "./match.ts"
import { deriveFromEvent, deriveFromProcess } from "./powershell.ts"

export * from "./form.ts"

export function runTester(catalog: CompiledCatalog, { id, form }: TesterRequest): TesterResponse {
  const threshold = Number.isFinite(form.threshold) ? form.threshold : DEFAULT_RISK_THRESHOLD
  if (form.mode === "cmd") {
    const opt = (s: string) => (s.trim() === "" ? undefined : s.trim())
    const input = { cmd: form.cmd, parent: opt(form.parent), user: opt(form.user), host: opt(form.host), originalFileName: opt(form.ofn ?? "") }
    const p = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as unknown as ProcessInput
    const built = buildProcessEvents(p)
    const events = Object.values(built.shapes)
    const reports = [matchEvent(catalog, { built }, { threshold })]
    const { decoded, derived } = deriveFromProcess(p)
    if (decoded.length === 0) return { id, ok: true, events, reports }
    for (const d of derived) reports.push(matchEvent(catalog, d.input, { threshold }))
    return { id, ok: true, events, reports, labels: ["The command line as typed", ...derived.map((d) => d.label)], derived: decoded }
  }
  let events: Event[]
  try {
    events = parseEvents(form.event)
  } catch (e) {
    if (e instanceof EventParseError) return { id, ok: false, kind: "parse", error: `Could not read the pasted event: ${e.message}` }
    throw e
  }
  const reports: MatchReport[] = []
  const labels: string[] = []
  const decodedAll: NonNullable<Extract<TesterResponse, { ok: true }>["derived"]> = []
  events.forEach((event, i) => {
    const label = `Event ${i + 1}`
    reports.push(matchEvent(catalog, { event }, { threshold }))
    labels.push(label)
    const { decoded, derived } = deriveFromEvent(event, label)
    decodedAll.push(...decoded)
    for (const d of derived) {
      reports.push(matchEvent(catalog, d.input, { threshold }))
      labels.push(d.label)
    }
  })
  return decodedAll.length ? { id, ok: true, events, reports, labels, derived: decodedAll } : { id, ok: true, events, reports }
}
