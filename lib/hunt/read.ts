/**
 * A log file as a stream of hunt events, read chunk by chunk: JSONL (the `match --batch` case
 * lines `{"cmd": …, "parent": …, "user": …, "host": …, "time": …}`, `{"event": {…}|"…", "time": …}`
 * lines, flat event objects, evtx-dumper `{"Event": …}` objects), or a whole document (a JSON
 * array, pretty-printed JSON, Windows event XML) read at its end.
 *
 * Owns: the choice between line and document reading, case lines → built process events, the
 * event time, and errors with their line.
 *
 * Invariants: pure (no I/O; read.node.ts and the browser worker feed it text); memory is one line
 * for JSONL, the whole text for a document (stated in `mode`). A bad line is reported and
 * skipped, never stops the read.
 *
 * Must never import: React, Next, Node built-ins.
 */
import { EventParseError } from "../events/errors.ts"
import { jsonToEvent, type Json } from "../events/json.ts"
import { processFacts, type BuiltEvents, type ProcessInput } from "../events/process.ts"
import { EVENT_SHAPE_DEFS, shapeEvent } from "../events/shapes.ts"
import type { EventShapeId, ProcessFacts } from "../events/types.ts"
import { parseEvents } from "../events/read.ts"
import type { Event } from "../predicate/types.ts"
import type { TesterInput } from "../tester/report.ts"
import { eventTime, parseTime } from "./time.ts"

export type LogEvent = { input: TesterInput; time?: number; line: number }
export type LogError = { line: number; message: string }

/**
 * The shapes of a built event, each made when first read: a hunt reads only the shapes its rules
 * read (a catalog without Elastic rules never builds the ECS shape), and a shape costs as much
 * to build as the rest of the line. The shapes are getters on the prototype, so `Object.entries`
 * lists none: read them by id (`EVENT_SHAPE_DEFS`).
 */
class LazyShapes {
  readonly facts: ProcessFacts
  readonly extra: Record<string, string> | undefined
  readonly made: Array<Event | undefined> = []
  constructor(facts: ProcessFacts, extra: Record<string, string> | undefined) {
    this.facts = facts
    this.extra = extra
  }
}
EVENT_SHAPE_DEFS.forEach((def, i) =>
  Object.defineProperty(LazyShapes.prototype, def.id, {
    enumerable: true,
    get(this: LazyShapes): Event {
      let e = this.made[i]
      if (e === undefined) {
        e = shapeEvent(def, this.facts)
        if (this.extra) for (const k in this.extra) e[k] = this.extra[k]!
        this.made[i] = e
      }
      return e
    },
  }),
)

/** `buildProcessEvents` with shapes made on first read (see LazyShapes); the same events. */
export function lazyBuilt(input: ProcessInput, fields?: Record<string, string>): BuiltEvents {
  const { image, parent, facts } = processFacts(input)
  const shapes = new LazyShapes(facts, fields) as unknown as Record<EventShapeId, Event>
  return parent ? { image, parent, shapes } : { image, shapes }
}

const isObj = (v: unknown): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v)

/** One JSON object of a log → the events it stands for (a case line is one built event). */
export function objectToEvents(o: { [k: string]: Json }): Array<{ input: TesterInput; time?: number }> {
  const t = parseTime(o.time ?? o._time ?? undefined)
  const withTime = (input: TesterInput, time: number | undefined) => (time === undefined ? { input } : { input, time })
  if (typeof o.cmd === "string") {
    const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined)
    const fields = isObj(o.fields)
      ? (Object.fromEntries(Object.entries(o.fields).filter(([, v]) => typeof v === "string")) as Record<
          string,
          string
        >)
      : undefined
    const p: ProcessInput = { cmd: o.cmd }
    const parent = str("parent")
    const user = str("user")
    const host = str("host")
    if (parent !== undefined) p.parent = parent
    if (user !== undefined) p.user = user
    if (host !== undefined) p.host = host
    return [withTime({ built: lazyBuilt(p, fields) }, t)]
  }
  if (isObj(o.event)) {
    const event = jsonToEvent(o.event)
    return [withTime({ event }, t ?? eventTime(event))]
  }
  if (typeof o.event === "string")
    return parseEvents(o.event).map((event) => withTime({ event }, t ?? eventTime(event)))
  const event: Event = jsonToEvent(o)
  return [withTime({ event }, t ?? eventTime(event))]
}

export class LogReader {
  private readonly onEvent: (e: LogEvent) => void
  private readonly onError: (e: LogError) => void
  private mode: "unknown" | "lines" | "document" = "unknown"
  private carry = ""
  private doc: string[] = []
  private line = 0
  private docLine = 1

  constructor(onEvent: (e: LogEvent) => void, onError: (e: LogError) => void) {
    this.onEvent = onEvent
    this.onError = onError
  }

  /** How the text is read: line by line, or as one document at its end. */
  get reading(): "unknown" | "lines" | "document" {
    return this.mode
  }

  feed(chunk: string): void {
    if (this.mode === "document") {
      this.doc.push(chunk)
      return
    }
    const text = this.carry + chunk
    let start = 0
    for (;;) {
      const nl = text.indexOf("\n", start)
      if (nl < 0) break
      this.lineOf(text.slice(start, nl))
      start = nl + 1
      if ((this.mode as string) === "document") {
        this.doc.push(text.slice(start))
        this.carry = ""
        return
      }
    }
    this.carry = text.slice(start)
  }

  end(): void {
    if (this.mode === "document") {
      const text = this.doc.join("")
      this.doc = []
      this.readDocument(text)
      return
    }
    if (this.carry !== "") this.lineOf(this.carry)
    this.carry = ""
  }

  private lineOf(raw: string): void {
    this.line++
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw
    const t = line.trim()
    if (t === "") return
    if (this.mode === "unknown") {
      // One object per line is JSONL; anything else (an array, XML, pretty JSON) is a document.
      let lineJson = false
      if (t.startsWith("{")) {
        try {
          lineJson = isObj(JSON.parse(t))
        } catch {
          lineJson = false
        }
      }
      if (!lineJson) {
        this.mode = "document"
        this.docLine = this.line
        this.doc.push(line, "\n")
        return
      }
      this.mode = "lines"
    }
    let value: unknown
    try {
      value = JSON.parse(t)
    } catch (e) {
      this.onError({ line: this.line, message: `not JSON: ${(e as Error).message}` })
      return
    }
    if (!isObj(value)) {
      this.onError({ line: this.line, message: "expected a JSON object on the line" })
      return
    }
    try {
      for (const e of objectToEvents(value)) this.onEvent({ ...e, line: this.line })
    } catch (e) {
      if (e instanceof EventParseError) this.onError({ line: this.line, message: e.message })
      else throw e
    }
  }

  private readDocument(text: string): void {
    if (text.trimStart().startsWith("[")) {
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch {
        value = undefined
      }
      // An array of case objects or events, element by element.
      if (Array.isArray(value) && value.every(isObj)) {
        value.forEach((o, i) => {
          try {
            for (const e of objectToEvents(o)) this.onEvent({ ...e, line: this.docLine })
          } catch (e) {
            if (e instanceof EventParseError)
              this.onError({ line: this.docLine, message: `element ${i + 1}: ${e.message}` })
            else throw e
          }
        })
        return
      }
    }
    let events: Event[]
    try {
      events = parseEvents(text)
    } catch (e) {
      if (!(e instanceof EventParseError)) throw e
      this.onError({
        line: (e.line ?? 1) + this.docLine - 1,
        message: e.message.replace(/ \(line \d+, column \d+\)$/, ""),
      })
      return
    }
    for (const event of events) {
      const time = eventTime(event)
      this.onEvent(
        time === undefined ? { input: { event }, line: this.docLine } : { input: { event }, time, line: this.docLine },
      )
    }
  }
}
