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
import { DEFAULT_RISK_THRESHOLD, type TesterForm, type TesterRequest, type TesterResponse } from "./form.ts"
import { inputGateSources } from "./inputs.ts"
import { matchEvent, type CompiledCatalog, type TesterInput } from "./match.ts"
import { deriveFromEvent, deriveFromProcess, type DecodedScript } from "./powershell.ts"
import { withSkipped, type Skipped } from "./rules-chunks.ts"

export * from "./form.ts"

/** A form read into the inputs to match (with derived ones), or why it cannot be read. */
export type PreparedInput =
  | { ok: false; error: string }
  | {
      ok: true
      events: Event[]
      inputs: Array<{ label: string; input: TesterInput }>
      labelled: boolean
      derived: DecodedScript[]
    }

export function prepareTester(form: TesterForm): PreparedInput {
  if (form.mode === "cmd") {
    const opt = (s: string) => (s.trim() === "" ? undefined : s.trim())
    const input = {
      cmd: form.cmd,
      parent: opt(form.parent),
      user: opt(form.user),
      host: opt(form.host),
      originalFileName: opt(form.ofn ?? ""),
    }
    const p = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as unknown as ProcessInput
    const built = buildProcessEvents(p)
    const events = Object.values(built.shapes)
    const { decoded, derived } = deriveFromProcess(p)
    return {
      ok: true,
      events,
      inputs: [{ label: "The command line as typed", input: { built } }, ...derived],
      labelled: decoded.length > 0,
      derived: decoded,
    }
  }
  let events: Event[]
  try {
    events = parseEvents(form.event)
  } catch (e) {
    if (e instanceof EventParseError) return { ok: false, error: `Could not read the pasted event: ${e.message}` }
    throw e
  }
  const inputs: Array<{ label: string; input: TesterInput }> = []
  const decodedAll: DecodedScript[] = []
  events.forEach((event, i) => {
    const label = `Event ${i + 1}`
    inputs.push({ label, input: { event } })
    const { decoded, derived } = deriveFromEvent(event, label)
    decodedAll.push(...decoded)
    inputs.push(...derived)
  })
  return { ok: true, events, inputs, labelled: decodedAll.length > 0, derived: decodedAll }
}

/** Per input, the log sources it counts as per gated format (undefined: it names none): which rule chunks it needs. */
export function preparedSources(p: PreparedInput): Array<ReadonlyMap<string, readonly unknown[] | undefined>> {
  return p.ok ? p.inputs.map((x) => inputGateSources(x.input)) : []
}

/** True when some input is a pasted (or derived flat) event rather than a built process. */
export function preparedPasted(p: PreparedInput): boolean {
  return p.ok && p.inputs.some((x) => "event" in x.input)
}

/**
 * Answers a request. `skipped`: rules of chunks not loaded because the gate keeps them away from
 * every input here (rules-chunks.ts); they are counted as the full catalog would count them.
 */
export function runTester(
  catalog: CompiledCatalog,
  { id, form }: TesterRequest,
  prepared: PreparedInput = prepareTester(form),
  skipped: Skipped = { notApplicable: 0, notFired: 0 },
): TesterResponse {
  const threshold = Number.isFinite(form.threshold) ? form.threshold : DEFAULT_RISK_THRESHOLD
  if (!prepared.ok) return { id, ok: false, kind: "parse", error: prepared.error }
  const reports = prepared.inputs.map((x) => withSkipped(matchEvent(catalog, x.input, { threshold }), skipped))
  if (!prepared.labelled) return { id, ok: true, events: prepared.events, reports }
  return {
    id,
    ok: true,
    events: prepared.events,
    reports,
    labels: prepared.inputs.map((x) => x.label),
    derived: prepared.derived,
  }
}
