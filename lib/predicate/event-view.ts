/**
 * Read-only view of one event for leaf tests.
 *
 * Owns: field lookup (exact case, data-model prefix fallback), normalising values to string
 * lists, and per-event caches of the raw and lower-cased value lists.
 *
 * Invariants:
 * - Field names are case-sensitive; a lookup never folds case.
 * - A field is absent when its value is null/undefined or an empty multivalue list; the empty
 *   string is present (Splunk: empty is not null).
 * - Lower-casing happens once per (event, field), however many leaves read the field.
 * - Data-model fields: a leaf with `dm: "Processes"` and field `process_name` reads
 *   `process_name`, falling back to `Processes.process_name`, so an event may carry CIM fields
 *   with or without the dataset prefix.
 *
 * Must never import: React, Next, Node built-ins.
 */
import type { Event, EventValue } from "./types.ts"

function normalise(v: EventValue): string[] | undefined {
  if (v === null || v === undefined) return undefined
  if (Array.isArray(v)) {
    const out = v.filter((x) => x !== null && x !== undefined).map(String)
    return out.length === 0 ? undefined : out
  }
  return [String(v)]
}

export class EventView {
  readonly event: Event
  private readonly raw = new Map<string, string[] | undefined>()
  private readonly lower = new Map<string, string[] | undefined>()
  private everyLower: string[] | undefined

  constructor(event: Event) {
    this.event = event
  }

  private key(field: string, dm?: string): string {
    if (dm === undefined) return field
    if (this.event[field] !== undefined && this.event[field] !== null) return field
    return `${dm}.${field}`
  }

  /** The values of a field, or undefined when the field is absent. */
  values(field: string, dm?: string): string[] | undefined {
    const k = this.key(field, dm)
    if (this.raw.has(k)) return this.raw.get(k)
    const vals = normalise(this.event[k])
    this.raw.set(k, vals)
    return vals
  }

  /** Lower-cased values of a field (cached), for case-insensitive search-language tests. */
  lowerValues(field: string, dm?: string): string[] | undefined {
    const k = this.key(field, dm)
    if (this.lower.has(k)) return this.lower.get(k)
    const vals = this.values(field, dm)?.map((s) => s.toLowerCase())
    this.lower.set(k, vals)
    return vals
  }

  /** Every value of every field, lower-cased (cached): what Sigma keywords search. */
  allLowerValues(): string[] {
    if (this.everyLower) return this.everyLower
    const out: string[] = []
    for (const v of Object.values(this.event)) for (const s of normalise(v) ?? []) out.push(s.toLowerCase())
    this.everyLower = out
    return out
  }
}
