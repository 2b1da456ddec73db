/**
 * Pasted text → events: XML (`<Event>`…, several allowed) or JSON (flat objects, evtx dumper
 * objects, concatenated, JSONL or an array).
 *
 * Invariants: pure; throws only EventParseError.
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event } from "../predicate/types.ts"
import { EventParseError } from "./errors.ts"
import { isObj, jsonToEvent, parseJsonValues, type Json } from "./json.ts"
import { findEvents, parseXml, xmlEventToEvent, type XmlNode } from "./xml.ts"

/**
 * Reads pasted text as events: XML (`<Event>`…, several allowed) or JSON (flat objects, evtx
 * dumper `{"Event": {...}}` objects, concatenated, JSONL or an array). Throws EventParseError.
 */
export function parseEvents(text: string): Event[] {
  const t = text.trim()
  if (t === "") throw new EventParseError("the event text is empty")
  const offset = text.indexOf(t[0] ?? "")
  if (t.startsWith("<")) {
    let roots: XmlNode[]
    try {
      roots = parseXml(text)
    } catch (e) {
      if (e instanceof EventParseError) throw new EventParseError(`could not read the XML: ${e.message.replace(/ \(at character \d+\)$/, "")}`, e.position)
      throw e
    }
    const events = findEvents(roots)
    if (events.length === 0) throw new EventParseError("the XML holds no <Event> element", offset)
    return events.map(xmlEventToEvent)
  }
  if (!t.startsWith("{") && !t.startsWith("[")) {
    throw new EventParseError("expected a JSON object ({...}) or a Windows event in XML (<Event>...)", offset)
  }
  const values = parseJsonValues(text)
  const objs: Array<{ [k: string]: Json }> = []
  for (const v of values) {
    for (const o of Array.isArray(v) ? v : [v]) {
      if (!isObj(o)) throw new EventParseError(`expected a JSON object, found ${o === null ? "null" : Array.isArray(o) ? "an array" : typeof o}`)
      objs.push(o)
    }
  }
  if (objs.length === 0) throw new EventParseError("the JSON holds no object")
  return objs.map(jsonToEvent)
}
