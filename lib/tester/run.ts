/**
 * One tester request → one response: the form's input becomes events (built from a command line,
 * or read from pasted text) and is matched against the compiled catalog.
 *
 * Owns: answering a TesterRequest (the form, its hash encoding and the message types live in
 * form.ts, which the page imports without the engine).
 *
 * Invariants: pure and synchronous (runs in the worker and in Node tests); the response is plain
 * JSON. A pasted text holding several events is evaluated event by event and the reports are
 * listed in order.
 *
 * Must never import: React, Next, Node built-ins, DOM APIs.
 */
import type { Event } from "../predicate/types.ts"
import { buildProcessEvents, EventParseError, parseEvents } from "./event.ts"
import { DEFAULT_RISK_THRESHOLD, type TesterRequest, type TesterResponse } from "./form.ts"
import { matchEvent, type CompiledCatalog } from "./match.ts"

export * from "./form.ts"

export function runTester(catalog: CompiledCatalog, { id, form }: TesterRequest): TesterResponse {
  const threshold = Number.isFinite(form.threshold) ? form.threshold : DEFAULT_RISK_THRESHOLD
  if (form.mode === "cmd") {
    const opt = (s: string) => (s.trim() === "" ? undefined : s.trim())
    const input = { cmd: form.cmd, parent: opt(form.parent), user: opt(form.user), host: opt(form.host), originalFileName: opt(form.ofn ?? "") }
    const built = buildProcessEvents(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as { cmd: string })
    return { id, ok: true, events: Object.values(built.shapes), reports: [matchEvent(catalog, { built }, { threshold })] }
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
