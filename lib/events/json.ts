/**
 * Pasted JSON → flat events: concatenated values, JSONL or one array; Windows event JSON (the
 * evtx dumpers' `{"Event": {"System": …, "EventData": …}}`) unwrapped to its data names; any
 * other object flattened to dotted paths. CIM fields are derived for raw process events.
 *
 * Invariants: pure; throws only EventParseError, with the character offset when known.
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event, EventValue } from "../predicate/types.ts"
import { EventParseError, MAX_DEPTH } from "./errors.ts"
import { withCimFields } from "./windows.ts"

/** A parsed JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
/** True for a JSON object (not null, not an array). */
export const isObj = (v: unknown): v is { [k: string]: Json } =>
  typeof v === "object" && v !== null && !Array.isArray(v)

/** Splits concatenated JSON values (`{..}{..}`, JSONL, or one array) and parses each, with where it starts. */
export function parseJsonValues(text: string): Array<{ value: Json; start: number }> {
  const out: Array<{ value: Json; start: number }> = []
  let i = 0
  const n = text.length
  while (i < n) {
    while (i < n && /\s|,/.test(text[i] ?? "")) i++
    if (i >= n) break
    const start = i
    const open = text[i]
    if (open !== "{" && open !== "[")
      throw new EventParseError(`expected a JSON object, found "${text.slice(i, i + 20)}"`, i)
    let depth = 0
    let inStr = false
    for (; i < n; i++) {
      const c = text[i]
      if (inStr) {
        if (c === "\\") i++
        else if (c === '"') inStr = false
      } else if (c === '"') inStr = true
      else if (c === "{" || c === "[") {
        if (++depth > MAX_DEPTH) throw new EventParseError(`the JSON nests deeper than ${MAX_DEPTH} levels`, i)
      } else if (c === "}" || c === "]") {
        depth--
        if (depth === 0) {
          i++
          break
        }
      }
    }
    if (depth !== 0)
      throw new EventParseError(
        `unterminated JSON ${open === "{" ? "object" : "array"}: missing closing bracket`,
        start,
      )
    const chunk = text.slice(start, i)
    try {
      out.push({ value: JSON.parse(chunk) as Json, start })
    } catch (e) {
      const msg = (e as Error).message
      const pos = /position (\d+)/.exec(msg)?.[1]
      throw new EventParseError(
        `invalid JSON: ${msg.replace(/\s*(in JSON )?at position \d+.*$/, "")}`,
        pos === undefined ? start : start + Number(pos),
      )
    }
  }
  return out
}

const scalar = (v: Json): EventValue =>
  v === null ? undefined : typeof v === "object" ? JSON.stringify(v) : typeof v === "boolean" ? String(v) : v

/** Text of a JSON node as dumpers write it: a scalar, or `{"#text": ...}`. */
function textOf(v: Json | undefined): EventValue {
  if (v === undefined || v === null) return undefined
  if (isObj(v)) return "#text" in v ? textOf(v["#text"]) : "#value" in v ? textOf(v["#value"]) : undefined
  if (Array.isArray(v)) return v.map((x) => String(scalar(x) ?? ""))
  return scalar(v)
}

function attr(v: Json | undefined, name: string): EventValue {
  if (!isObj(v)) return undefined
  const a = v["#attributes"]
  if (isObj(a) && a[name] !== undefined) return scalar(a[name] ?? null)
  if (v[`@${name}`] !== undefined) return scalar(v[`@${name}`] ?? null)
  if (v[`_${name}`] !== undefined) return scalar(v[`_${name}`] ?? null)
  return undefined
}

function flattenSystem(sys: { [k: string]: Json }, out: Event): void {
  const id = textOf(sys.EventID)
  if (id !== undefined) {
    out.EventID = String(id)
    out.EventCode = String(id)
  }
  for (const k of ["Channel", "Computer", "EventRecordID", "Level", "Task", "Opcode", "Keywords", "Version"]) {
    const v = textOf(sys[k])
    if (v !== undefined) out[k] = typeof v === "number" ? String(v) : v
  }
  const provider = attr(sys.Provider, "Name")
  if (provider !== undefined) out.ProviderName = provider
  const time = attr(sys.TimeCreated, "SystemTime")
  if (time !== undefined) out.SystemTime = time
  const uid = attr(sys.Security, "UserID")
  if (uid !== undefined) out.UserID = uid
}

function flattenEventData(data: Json | undefined, out: Event): void {
  if (!isObj(data)) return
  const items = data.Data
  if (items !== undefined && (Array.isArray(items) || isObj(items))) {
    const unnamed: string[] = []
    for (const d of Array.isArray(items) ? items : [items]) {
      const name = attr(d, "Name")
      const val = isObj(d) ? textOf(d) : scalar(d)
      if (name !== undefined) {
        if (val !== undefined) out[String(name)] = val
      } else if (val !== undefined) unnamed.push(String(val))
    }
    if (unnamed.length) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed
    return
  }
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith("#") || k.startsWith("@")) continue
    const val = isObj(v) ? textOf(v) : textOf(v)
    if (val !== undefined) out[k] = val
  }
}

function flatten(obj: { [k: string]: Json }, prefix: string, out: Event, depth = 0): void {
  if (depth > MAX_DEPTH) throw new EventParseError(`the JSON nests objects deeper than ${MAX_DEPTH} levels`)
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (isObj(v)) flatten(v, key, out, depth + 1)
    else if (Array.isArray(v))
      out[key] = v.map((x) => (isObj(x) || Array.isArray(x) ? JSON.stringify(x) : String(scalar(x) ?? "")))
    else {
      const s = scalar(v)
      if (s !== undefined) out[key] = s
    }
  }
}

/** One parsed JSON object → a flat event (Windows event JSON unwrapped, CIM fields derived). */
export function jsonToEvent(obj: { [k: string]: Json }): Event {
  const ev = isObj(obj.Event) ? obj.Event : isObj(obj.System) || isObj(obj.EventData) ? obj : undefined
  const out: Event = {}
  if (ev) {
    if (isObj(ev.System)) flattenSystem(ev.System, out)
    flattenEventData(ev.EventData, out)
    flattenEventData(ev.UserData, out)
  } else flatten(obj, "", out)
  return withCimFields(out)
}
