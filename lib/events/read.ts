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
  try {
    return readEvents(text)
  } catch (e) {
    if (e instanceof EventParseError) throw located(text, e)
    throw e
  }
}

/** The error with its line and column in the pasted text (1-based) beside the character offset. */
function located(text: string, e: EventParseError): EventParseError {
  if (e.position === undefined || e.line !== undefined) return e
  const before = text.slice(0, e.position)
  const line = before.split("\n").length
  const column = e.position - before.lastIndexOf("\n")
  return new EventParseError(e.message.replace(/ \(at character \d+\)$/, ""), e.position, { line, column })
}

function readEvents(text: string): Event[] {
  const t = text.trim()
  if (t === "") throw new EventParseError("the event text is empty", 0)
  const offset = text.indexOf(t[0] ?? "")
  if (t.startsWith("<")) {
    let roots: XmlNode[]
    try {
      roots = parseXml(text)
    } catch (e) {
      if (e instanceof EventParseError)
        throw new EventParseError(
          `could not read the XML: ${e.message.replace(/ \(at character \d+\)$/, "")}`,
          e.position,
        )
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
  const objs: Array<{ obj: { [k: string]: Json }; start: number }> = []
  for (const { value, start } of values) {
    for (const o of Array.isArray(value) ? value : [value]) {
      if (!isObj(o))
        throw new EventParseError(
          `expected a JSON object, found ${o === null ? "null" : Array.isArray(o) ? "an array" : typeof o}${Array.isArray(value) ? " in the array" : ""}`,
          start,
        )
      objs.push({ obj: o, start })
    }
  }
  if (objs.length === 0) throw new EventParseError("the JSON holds no object", offset)
  return objs.map(({ obj, start }) => {
    try {
      return jsonToEvent(obj)
    } catch (e) {
      if (e instanceof EventParseError && e.position === undefined) throw new EventParseError(e.message, start)
      throw e
    }
  })
}
