/**
 * Events in Sigma's field names: Windows event JSON (the evtx dumper layout) flattened to Sigma's field
 * names, other JSON flattened to dotted paths, and a command line turned into a
 * process_creation event.
 *
 * Owns: the evtx → Sigma field mapping (EventData / UserData names win over System names, spaces
 * removed, `Provider_Name` and friends from attributes, unnamed `Data` as a multi-valued field)
 * and the per-logsource field mappings (Security 4688 `NewProcessName` → `Image`, Defender
 * `ThreatName` → `Signature`). Invariants: pure; numbers stay numbers; absent stays absent (no
 * invented fields beyond the documented mappings); never throws on any JSON value.
 * Never imports: React, Next, Node built-ins, DOM APIs.
 */
import type { Event, EventValue } from "../../predicate/types.ts"
import { buildProcessEvents, type ProcessInput } from "../../events/process.ts"

import { isObj, type Json } from "../../events/json.ts"

/** A scalar or `{#text}` node as an event value; arrays become multi-valued fields. */
function scalar(v: Json | undefined): EventValue {
  if (v === null || v === undefined) return undefined
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v
  if (Array.isArray(v)) {
    const vals = v
      .map(scalar)
      .filter((x): x is string | number | boolean => x !== undefined && x !== null && !Array.isArray(x))
      .map(String)
    return vals.length > 0 ? vals : undefined
  }
  if ("#text" in v) return scalar(v["#text"])
  return undefined
}

function setIfAbsent(e: Event, k: string, v: EventValue): void {
  if (v !== undefined && v !== null && (e[k] === undefined || e[k] === null)) e[k] = v
}

/** Named data items of EventData / UserData (spaces removed from names; `#attributes` ignored). */
function dataItems(section: Record<string, Json>, into: Event): void {
  for (const [name, value] of Object.entries(section)) {
    if (name === "#attributes") continue
    if (name === "Data") {
      into.Data = scalar(value)
      continue
    }
    into[name.replace(/\s+/g, "")] = scalar(value)
  }
}

/** True when a JSON value is a Windows event in the evtx dumper layout (with or without `Event`). */
export function isEvtxJson(v: unknown): boolean {
  const e = isObj(v) && isObj(v.Event) ? v.Event : v
  return isObj(e) && isObj(e.System)
}

/** Flatten one evtx-JSON event into Sigma field names. */
export function flattenEvtx(json: unknown): Event {
  const root = isObj(json) && isObj(json.Event) ? json.Event : json
  const out: Event = {}
  if (!isObj(root)) return out
  if (isObj(root.EventData)) dataItems(root.EventData, out)
  if (isObj(root.UserData)) {
    // UserData holds one wrapper element named after the event; its children are the data items.
    for (const [name, wrapper] of Object.entries(root.UserData)) {
      if (name !== "#attributes" && isObj(wrapper)) dataItems(wrapper, out)
    }
  }
  const system = isObj(root.System) ? root.System : {}
  for (const [name, value] of Object.entries(system)) {
    if (isObj(value) && isObj(value["#attributes"])) {
      for (const [attr, v] of Object.entries(value["#attributes"])) setIfAbsent(out, `${name}_${attr}`, scalar(v))
      if ("#text" in value) setIfAbsent(out, name, scalar(value["#text"]))
    } else setIfAbsent(out, name, scalar(value))
  }
  applyFieldMappings(out)
  return out
}

/** The checker's per-logsource mappings: fields some rules read under another event's names. */
function applyFieldMappings(e: Event): void {
  const id = Number(Array.isArray(e.EventID) ? e.EventID[0] : e.EventID)
  if (e.Channel === "Security" && id === 4688) {
    setIfAbsent(e, "Image", e.NewProcessName)
    setIfAbsent(e, "ParentImage", e.ParentProcessName)
  }
  if (typeof e.Channel === "string" && e.Channel.includes("Windows Defender")) {
    setIfAbsent(e, "Signature", e.ThreatName)
    setIfAbsent(e, "Filename", e.Path)
  }
}

/** Any JSON object as a flat event: top-level keys kept, nested objects also as dotted paths. */
export function flattenJson(json: unknown): Event {
  if (isEvtxJson(json)) return flattenEvtx(json)
  const out: Event = {}
  const walk = (v: Json, path: string, depth: number) => {
    if (isObj(v)) {
      if (depth > 8) return
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, depth + 1)
    } else out[path] = scalar(v)
  }
  if (isObj(json)) walk(json, "", 0)
  return out
}

/** A command line as a Sysmon process_creation event in Sigma's field names (EventID 1): the tester's `sigma` shape. */
export function processCreationEvent(input: ProcessInput): Event {
  return buildProcessEvents(input).shapes.sigma ?? {}
}

/**
 * A pasted event as the tester reads it (lib/tester/event.ts parseEvents: EventData names,
 * `ProviderName`, `EventID`, CIM fields added) seen with Sigma's names: `Provider_Name` and the
 * per-logsource mappings of `flattenEvtx`. The input is not modified.
 */
export function sigmaEventOf(event: Event): Event {
  const out: Event = { ...event }
  setIfAbsent(out, "Provider_Name", event.ProviderName)
  applyFieldMappings(out)
  return out
}
