/**
 * The input side of a match: one EventView per event shape, and the log-source gates decided
 * once per distinct source. A built command line has every shape of lib/events/shapes.ts; a
 * pasted event is read by each format in its own names (`FormatTesting.tester.readEvent`) and
 * gated on the log sources it names (`FormatGate.eventSources`).
 *
 * Invariants: pure; views of one input share their long-value cache.
 * Must never import: React, Next, Node built-ins.
 */
import type { EventShapeId } from "../events/types.ts"
import { FORMAT_TESTERS } from "../formats/testers.ts"
import type { FormatTesting } from "../formats/types.ts"
import { EventView } from "../predicate/index.ts"
import type { LongValue } from "../predicate/grams.ts"
import type { CatalogRule, CompiledCatalog } from "./compile.ts"
import type { GateReport, TesterInput } from "./report.ts"

export type InputViews = {
  views: Map<EventShapeId, EventView>
  /** Views risk entity values are looked up in when the rule's own view lacks the field. */
  fallbackViews: EventView[]
  /** Per gated format id: the log sources the input counts as; undefined = it names none, every rule reads it. */
  sources: Map<string, readonly unknown[] | undefined>
}

/** One EventView per shape, and the log sources the input counts as for each gated format. */
export function inputViews(input: TesterInput): InputViews {
  const views = new Map<EventShapeId, EventView>()
  const sources = new Map<string, readonly unknown[] | undefined>()
  const shared = new Map<string, LongValue>()
  if ("built" in input) {
    for (const [s, e] of Object.entries(input.built.shapes)) views.set(s, new EventView(e, shared))
    return { views, fallbackViews: [...views.values()], sources: builtGateSources() }
  }
  for (const f of FORMAT_TESTERS) {
    const event = f.tester.readEvent(input.event)
    if (!views.has(f.tester.pastedShape)) views.set(f.tester.pastedShape, new EventView(event, shared))
    if (f.tester.gate) sources.set(f.id, f.tester.gate.eventSources(event))
  }
  return { views, fallbackViews: [], sources }
}

/** Per gated format id, the log sources a command line built by the tester counts as. */
export function builtGateSources(): Map<string, readonly unknown[] | undefined> {
  const sources = new Map<string, readonly unknown[] | undefined>()
  for (const f of FORMAT_TESTERS) if (f.tester.gate) sources.set(f.id, f.tester.gate.builtSources)
  return sources
}

/** Per gated format id, the log sources an input counts as (undefined: it names none). */
export function inputGateSources(input: TesterInput): Map<string, readonly unknown[] | undefined> {
  return inputViews(input).sources
}

/** Whether a rule of `format` gated on `source` reads an input counting as `sources` (all, when ungated). */
export function admits(
  format: FormatTesting,
  source: unknown,
  sources: ReadonlyMap<string, readonly unknown[] | undefined>,
): boolean {
  const input = sources.get(format.id)
  return !input || format.tester.gate?.admits(source, input) !== false
}

/** Per gate of the catalog: 1 when the input's sources admit it. */
export function admittedGates(
  catalog: CompiledCatalog,
  sources: ReadonlyMap<string, readonly unknown[] | undefined>,
): Uint8Array {
  const out = new Uint8Array(catalog.gates.length)
  catalog.gates.forEach((g, i) => {
    out[i] = admits(g.format, g.source, sources) ? 1 : 0
  })
  return out
}

/** The report's account of each gate: what the input counts as, for people. */
export function gateReports(sources: ReadonlyMap<string, readonly unknown[] | undefined>): GateReport[] {
  return FORMAT_TESTERS.flatMap((f) => {
    const gate = f.tester.gate
    if (!gate) return []
    const input = sources.get(f.id)
    return [
      {
        format: f.id,
        formatLabel: f.label,
        label: gate.label,
        sources: input ? input.map((s) => gate.describe(s)) : "any",
        ungated: gate.ungated,
      },
    ]
  })
}

/** Which shapes a rule reads for this input (the gate is decided before, from `scan.gate`). */
export function shapesFor(r: CatalogRule, built: boolean): readonly EventShapeId[] {
  return built ? r.shapes : [r.format.tester.pastedShape]
}
