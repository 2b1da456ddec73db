/**
 * The search-time fields a Splunk add-on adds to a raw event (Sysmon's `process_name` from
 * `Image`, 4688's `process` from `Process_Command_Line`…), taken from the content's data source
 * files as data: each data source lists the fields its add-on makes available (`fields`) and how
 * raw fields become data-model fields (`field_mappings`, `raw: Model.field`, a `|endswith` suffix
 * meaning "the last path component of"). No field is derived by code of its own.
 *
 * Owns: the AddOnTable (per built raw shape: field ← raw field), derived once from the data
 * sources where the catalog is built, shipped as plain JSON to the browser (the tester's
 * manifest, the hunt's rules file), and the one table in force in this process, which
 * shapes.ts applies to every built event of those shapes.
 * - A shape takes the data source whose `source` and event id (separator value, else the
 *   name's trailing number) are the shape's constants.
 * - A mapped field the data source's `fields` does not list, or whose raw field a built event
 *   never carries, is left absent; `addOnGaps` says which and why.
 * Invariants: plain data plus generic functions; a derived field never overwrites one the event
 * has; with no table installed, built events carry raw fields only.
 * Never imports: React, Next, Node built-ins; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event, EventValue } from "../predicate/types.ts"
import type { EventShapeDef, EventShapeId } from "./types.ts"

/** One add-on field: its name, the raw field it reads, and whether it keeps the last path component only. */
export interface AddOnRow {
  field: string
  from: string
  basename?: true
}

/** Per built raw shape id, the data source it was read from and its add-on fields in table order. */
export type AddOnTable = Record<EventShapeId, { dataSource: string; rows: AddOnRow[] }>

/** What the table reads of a data source (the catalog's DataSource has these). */
export interface AddOnSource {
  name: string
  source: string
  separatorValue?: string
  fields: readonly string[]
  fieldMappings: ReadonlyArray<{ dataModel?: string; mapping: Readonly<Record<string, string>> }>
}

/** A field the data source lists that a built event of the shape does not get, and why. */
export interface AddOnGap {
  shape: EventShapeId
  dataSource: string
  field: string
  why: string
}

/** Fields Splunk gives every event whatever the add-on (indexing metadata), not add-on fields. */
const SPLUNK_DEFAULT_FIELDS: ReadonlySet<string> = new Set([
  "host",
  "source",
  "sourcetype",
  "index",
  "linecount",
  "punct",
  "splunk_server",
  "timeendpos",
  "timestartpos",
  "eventtype",
  "tag",
  "tag::eventtype",
])

/** The event id a data source stands for: its separator value, else the trailing number of its name. */
function eventIdOf(s: AddOnSource): string | undefined {
  return s.separatorValue ?? /(\d+)\s*$/.exec(s.name)?.[1]
}

/** Raw fields a built event of a mapped shape can carry. */
function rawFields(def: EventShapeDef): Set<string> {
  if (def.build) return new Set()
  return new Set([...def.map.map(([f]) => f), ...Object.keys(def.constants)])
}

/** The data source a shape reads as, if the content has one: same `source`, same event id. */
function sourceOf(def: EventShapeDef, sources: readonly AddOnSource[]): AddOnSource | undefined {
  if (def.build) return undefined
  const source = def.constants.source
  const id = def.constants.EventCode ?? def.constants.EventID
  if (typeof source !== "string" || id === undefined) return undefined
  return sources.find((s) => s.source === source && eventIdOf(s) === String(id))
}

/** Every data-model mapping of a data source as (raw field, basename?, model field) triples, in file order. */
function mappings(s: AddOnSource): Array<{ from: string; basename: boolean; field: string }> {
  const out: Array<{ from: string; basename: boolean; field: string }> = []
  for (const m of s.fieldMappings) {
    // CIM is what Splunk's add-ons map to; other models (OCSF) name fields the search never reads.
    if ((m.dataModel ?? "cim").toLowerCase() !== "cim") continue
    for (const [raw, target] of Object.entries(m.mapping)) {
      const basename = /\|endswith$/i.test(raw)
      out.push({ from: raw.replace(/\|endswith$/i, ""), basename, field: target.slice(target.lastIndexOf(".") + 1) })
    }
  }
  return out
}

/** The add-on fields of each built raw shape, read from the data sources; gaps say what stays absent. */
export function addOnTable(
  defs: readonly EventShapeDef[],
  sources: readonly AddOnSource[],
): { table: AddOnTable; gaps: AddOnGap[] } {
  const table: AddOnTable = {}
  const gaps: AddOnGap[] = []
  for (const def of defs) {
    const s = sourceOf(def, sources)
    if (!s) continue
    const raw = rawFields(def)
    const listed = new Set(s.fields)
    const rows: AddOnRow[] = []
    const gap = (field: string, why: string) => gaps.push({ shape: def.id, dataSource: s.name, field, why })
    for (const m of mappings(s)) {
      if (raw.has(m.field) || rows.some((r) => r.field === m.field)) continue
      if (listed.size && !listed.has(m.field))
        gap(m.field, `mapped from ${m.from} but not among the data source's fields`)
      else if (!raw.has(m.from)) gap(m.field, `mapped from ${m.from}, which a built event does not carry`)
      else rows.push(m.basename ? { field: m.field, from: m.from, basename: true } : { field: m.field, from: m.from })
    }
    for (const f of s.fields) {
      // Add-on fields are the lower-case ones; the others are the event's own (raw) fields.
      if (!/^[a-z]/.test(f) || SPLUNK_DEFAULT_FIELDS.has(f) || f.startsWith("date_")) continue
      if (raw.has(f) || rows.some((r) => r.field === f) || gaps.some((g) => g.shape === def.id && g.field === f))
        continue
      gap(f, "listed, but no mapping says how it is derived")
    }
    if (rows.length) table[def.id] = { dataSource: s.name, rows }
  }
  return { table, gaps }
}

let installed: AddOnTable = {}

/**
 * Sets the table built events use in this process (the catalog's, or the one a browser worker
 * fetched). The catalog's builder and loaders call it; an empty table means raw fields only.
 */
export function installAddOnTable(table: AddOnTable | undefined): void {
  installed = table ?? {}
}

/** The table in force. */
export function installedAddOnTable(): AddOnTable {
  return installed
}

/** The last path component of a Windows or POSIX path. */
function lastComponent(p: string): string {
  const i = Math.max(p.lastIndexOf("\\"), p.lastIndexOf("/"))
  return i < 0 ? p : p.slice(i + 1)
}

/** Adds a shape's add-on fields to an event of that shape (in place; existing fields win). */
export function addAddOnFields(shape: EventShapeId, e: Event, table: AddOnTable = installed): Event {
  const rows = table[shape]?.rows
  if (!rows) return e
  for (const r of rows) {
    if (e[r.field] !== undefined && e[r.field] !== null) continue
    const v: EventValue = e[r.from]
    if (v === undefined || v === null || v === "") continue
    e[r.field] = r.basename ? lastComponent(Array.isArray(v) ? (v[0] ?? "") : String(v)) : v
  }
  return e
}
