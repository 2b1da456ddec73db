/**
 * The input side of a match: one EventView per event shape (a built command line has every
 * shape; a pasted event is read as is by SPL rules and in Sigma's names by Sigma rules), and the
 * Sigma log-source gate decided once per distinct logsource.
 *
 * Invariants: pure; views of one input share their long-value cache.
 * Must never import: React, Next, Node built-ins.
 */
import { EventView } from "../predicate/index.ts"
import type { LongValue } from "../predicate/grams.ts"
import { eventLogsources, logsourceAdmits, PROCESS_CREATION, sigmaEventOf } from "../sigma/index.ts"
import type { SigmaLogsource } from "../sigma/types.ts"
import { EVENT_SHAPES, type EventShape } from "./event.ts"
import { SHAPE_SLOT, type CatalogRule, type CompiledCatalog } from "./compile.ts"
import type { TesterInput } from "./report.ts"

export type InputViews = {
  views: Map<EventShape | "event", EventView>
  fallbackViews: EventView[]
  /** The logsources Sigma rules are gated on; undefined = the event names none, every Sigma rule reads it. */
  sigmaSources: SigmaLogsource[] | undefined
}

/**
 * One EventView per shape. A built command line has all four shapes (Sigma rules read the
 * `sigma` one, a process_creation event); a pasted event is read as is by SPL rules and with
 * Sigma's names (sigmaEventOf) by Sigma rules, gated on the logsources its Channel and EventID say.
 */
export function inputViews(input: TesterInput): InputViews {
  const views = new Map<EventShape | "event", EventView>()
  if ("built" in input) {
    const shared = new Map<string, LongValue>()
    for (const s of EVENT_SHAPES) {
      const e = input.built.shapes[s]
      if (e) views.set(s, new EventView(e, shared))
    }
    const fallbackViews = [views.get("cim"), views.get("sysmon"), views.get("security4688")].filter((v): v is EventView => v !== undefined)
    return { views, fallbackViews, sigmaSources: [PROCESS_CREATION] }
  }
  const shared = new Map<string, LongValue>()
  views.set("event", new EventView(input.event, shared))
  const sigmaEvent = sigmaEventOf(input.event)
  views.set("sigma", new EventView(sigmaEvent, shared))
  const sources = eventLogsources(sigmaEvent)
  return { views, fallbackViews: [], sigmaSources: sources.length > 0 ? sources : undefined }
}

/** Per distinct Sigma logsource of the catalog: 1 when the input's sources admit it (all, when ungated). */
export function admittedLogsources(catalog: CompiledCatalog, sigmaSources: SigmaLogsource[] | undefined): Uint8Array {
  const out = new Uint8Array(catalog.logsources.length)
  catalog.logsources.forEach((ls, i) => {
    out[i] = !sigmaSources || logsourceAdmits(ls, sigmaSources) ? 1 : 0
  })
  return out
}

/** Which shapes a rule reads for this input (the Sigma gate is decided before, from `scan.gate`). */
export function shapesFor(r: CatalogRule, built: boolean): ReadonlyArray<EventShape | "event"> {
  if (r.logsourceId !== undefined) return SIGMA_ONLY
  return built ? r.shapes : EVENT_ONLY
}

export const EVENT_ONLY: Array<"event"> = ["event"]
export const SIGMA_BIT = 1 << SHAPE_SLOT.sigma
export const EVENT_BIT = 1 << SHAPE_SLOT.event
export const SIGMA_ONLY: Array<"sigma"> = ["sigma"]
