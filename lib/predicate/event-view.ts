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
import type { LongValue } from "./grams.ts"
import type { Event, EventValue } from "./types.ts"

function normalise(v: EventValue): string[] | undefined {
  if (v === null || v === undefined) return undefined
  if (Array.isArray(v)) {
    const out = v.filter((x) => x !== null && x !== undefined).map(String)
    return out.length === 0 ? undefined : out
  }
  return [String(v)]
}

/**
 * Field slots: every (field, data-model prefix) a compiled leaf reads gets a number once, so a
 * leaf test reads its values by array index instead of building a key and probing maps. The
 * registry only grows; it is shared by every EventView of the thread.
 */
const slotIds = new Map<string, number>()
const slotFields: Array<{ field: string; dm: string | undefined }> = []

export function fieldSlot(field: string, dm?: string): number {
  const k = dm === undefined ? field : `${dm}\u0000${field}`
  let id = slotIds.get(k)
  if (id === undefined) {
    id = slotFields.length
    slotFields.push({ field, dm })
    slotIds.set(k, id)
  }
  return id
}

/** Marks a slot looked up and found absent (undefined = not looked up yet). */
const ABSENT: string[] = []

export class EventView {
  private current: Event
  private readonly raw = new Map<string, string[] | undefined>()
  private readonly lower = new Map<string, string[] | undefined>()
  private everyLower: string[] | undefined
  // Sized up front so slot writes never turn the arrays into slow dictionary-mode ones.
  private readonly rawSlots: Array<string[] | undefined> = new Array(slotFields.length)
  private readonly lowerSlots: Array<string[] | undefined> = new Array(slotFields.length)
  /** Slots written since the view was made or reset (what `reset` clears). */
  private readonly touched: number[] = []
  private long: Map<number, Array<LongValue | undefined>> | undefined
  private shared: Map<string, LongValue> | undefined

  /**
   * `shared`: long values by text, common to several views of one input (the tester's four
   * shapes of one command line carry it four times), so a pattern's verdict on the text and the
   * text's index are computed once per input rather than once per view. A verdict depends on the
   * text alone, so sharing it across fields and views is exact.
   */
  constructor(event: Event, shared?: Map<string, LongValue>) {
    this.current = event
    this.shared = shared
  }

  get event(): Event {
    return this.current
  }

  /**
   * The view of another event, as a new view would be, reusing this one's storage: a hunt reads
   * one event after another, and the slot arrays are as long as the fields every rule reads.
   */
  reset(event: Event, shared?: Map<string, LongValue>): void {
    for (const slot of this.touched) {
      this.rawSlots[slot] = undefined
      this.lowerSlots[slot] = undefined
    }
    this.touched.length = 0
    this.raw.clear()
    this.lower.clear()
    this.everyLower = undefined
    this.long = undefined
    this.current = event
    this.shared = shared
  }

  /** `values(field, dm)` of a slot from `fieldSlot`. */
  valuesAt(slot: number): string[] | undefined {
    let v = this.rawSlots[slot]
    if (v === undefined) {
      const f = slotFields[slot]
      v = (f && this.values(f.field, f.dm)) ?? ABSENT
      this.rawSlots[slot] = v
      this.touched.push(slot)
    }
    return v === ABSENT ? undefined : v
  }

  /** `lowerValues(field, dm)` of a slot from `fieldSlot`. */
  lowerAt(slot: number): string[] | undefined {
    let v = this.lowerSlots[slot]
    if (v === undefined) {
      const f = slotFields[slot]
      v = (f && this.lowerValues(f.field, f.dm)) ?? ABSENT
      this.lowerSlots[slot] = v
      this.touched.push(slot)
    }
    return v === ABSENT ? undefined : v
  }

  /**
   * The search aids (grams.ts) of the `i`-th value of `valuesAt(slot)` (of `lowerAt(slot)` when
   * `lowered`), kept for the view's lifetime. For long values only: the caller checks GRAM_MIN_LENGTH.
   */
  longAt(slot: number, lowered: boolean, i: number): LongValue | undefined {
    const v = (lowered ? this.lowerAt(slot) : this.valuesAt(slot))?.[i]
    if (v === undefined) return undefined
    this.long ??= new Map()
    const k = slot * 2 + (lowered ? 1 : 0)
    let list = this.long.get(k)
    if (list === undefined) this.long.set(k, (list = []))
    let long = list[i]
    if (long === undefined) {
      long = this.shared?.get(v)
      if (long === undefined) {
        long = { value: v, held: new Map() }
        this.shared?.set(v, long)
      }
      list[i] = long
    }
    return long
  }

  private key(field: string, dm?: string): string {
    if (dm === undefined) return field
    if (this.current[field] !== undefined && this.current[field] !== null) return field
    return `${dm}.${field}`
  }

  /** The values of a field, or undefined when the field is absent. */
  values(field: string, dm?: string): string[] | undefined {
    const k = this.key(field, dm)
    if (this.raw.has(k)) return this.raw.get(k)
    const vals = normalise(this.current[k])
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
    for (const v of Object.values(this.current)) for (const s of normalise(v) ?? []) out.push(s.toLowerCase())
    this.everyLower = out
    return out
  }
}
