/**
 * `npx tsx scripts/addon-reach.ts`: how many Splunk rules that read raw Sysmon EventID 1 or
 * Security 4688 events fire on a command line built as that raw event, without and with the
 * add-on fields the data sources give it (lib/events/addon.ts). Prints figures, asserts nothing.
 *
 * For every Splunk rule whose built-event shapes are only raw ones (no data model) and whose own
 * example event (lib/tester/example-event.ts) is a process start (no event id, or 1, or 4688),
 * the example is turned back into a command line (its command line field, else its image or
 * process name), a parent, a user and a host, built with the tester's builder; the example's
 * other fields (FileVersion, IntegrityLevel…) are set on the built event as they are, but never
 * a process field, an event id or a field the add-on derives. The rule "fires on a raw event"
 * when the tester fires it on that built input.
 * Reads ../shared/corpora/security_content and content/ (or CATALOG_CONTENT).
 */
import { existsSync } from "node:fs"

import { loadCatalog } from "../lib/catalog/load.node.ts"
import { installAddOnTable, installedAddOnTable } from "../lib/events/addon.ts"
import { buildProcessEvents, type ProcessInput } from "../lib/events/process.ts"
import { EVENT_SHAPE_DEFS } from "../lib/events/shapes.ts"
import type { Event } from "../lib/predicate/types.ts"
import { exampleEvent } from "../lib/tester/example-event.ts"
import { compileCatalog, matchEvent } from "../lib/tester/match.ts"

const roots = (process.env.CATALOG_CONTENT ?? "../shared/corpora/security_content,content").split(",")
if (!existsSync(roots[0] ?? "")) {
  console.log(`addon-reach: ${roots[0]} is absent; nothing to measure`)
  process.exit(0)
}
const catalog = loadCatalog({ roots })
const table = installedAddOnTable()
const splunk = catalog.detections.filter((d) => d.format === "splunk")
const compiled = compileCatalog(splunk)
const RAW = new Set(["sysmon", "security4688"])
const rawRules = compiled.rules.filter((r) => r.shapes.length > 0 && r.shapes.every((s) => RAW.has(s)))

const first = (e: Event, fields: string[]): string | undefined => {
  for (const f of fields) {
    const v = e[f]
    const s = Array.isArray(v) ? v[0] : v
    if (s !== undefined && s !== null && String(s) !== "") return String(s)
  }
  return undefined
}

/** Fields the builder sets from the process facts, the shapes' constants and every add-on field. */
const BUILT = new Set([
  ...EVENT_SHAPE_DEFS.flatMap((d) =>
    d.build ? [...d.fields] : [...d.map.map(([f]) => f), ...Object.keys(d.constants)],
  ),
  ...Object.values(table).flatMap((t) => t.rows.map((r) => r.field)),
  ...["process_name", "process", "process_path", "parent_process", "parent_process_name", "parent_process_path"],
  ...["original_file_name", "user", "dest", "EventCode", "EventID", "source", "sourcetype"],
])

/** The example event as the inputs of a built command line; undefined when it names no process. */
function inputOf(e: Event): ProcessInput | undefined {
  const id = first(e, ["EventCode", "EventID"])
  if (id !== undefined && id !== "1" && id !== "4688") return undefined
  const image = first(e, ["Image", "NewProcessName", "process_path", "process_name", "OriginalFileName"])
  let cmd = first(e, ["CommandLine", "Process_Command_Line", "process"])
  if (cmd === undefined) cmd = image
  else if (image !== undefined && !cmd.toLowerCase().includes(image.split(/[\\/]/).pop()!.toLowerCase()))
    cmd = `"${image}" ${cmd}`
  if (cmd === undefined) return undefined
  const parent = first(e, [
    "ParentCommandLine",
    "parent_process",
    "ParentImage",
    "ParentProcessName",
    "parent_process_path",
    "parent_process_name",
  ])
  const user = first(e, ["User", "user", "SubjectUserName"])
  const host = first(e, ["Computer", "dest"])
  const ofn = first(e, ["OriginalFileName", "original_file_name"])
  const fields: Record<string, string> = {}
  for (const [k, v] of Object.entries(e)) if (!BUILT.has(k) && typeof v === "string") fields[k] = v
  return {
    cmd,
    ...(Object.keys(fields).length ? { fields } : {}),
    ...(parent === undefined ? {} : { parent }),
    ...(user === undefined ? {} : { user }),
    ...(host === undefined ? {} : { host }),
    ...(ofn === undefined ? {} : { originalFileName: ofn }),
  }
}

const fires = (id: string, input: ProcessInput): boolean =>
  matchEvent(compiled, { built: buildProcessEvents(input) }, { nearMisses: false }).fired.some((f) => f.id === id)

let withInput = 0
const before: string[] = []
const after: string[] = []
const lost: string[] = []
const gained: Array<{ name: string; input: ProcessInput }> = []
for (const r of rawRules) {
  const ex = exampleEvent(r.detection)
  if (!("event" in ex)) continue
  const input = inputOf(ex.event)
  if (!input) continue
  withInput++
  installAddOnTable({})
  const b = fires(r.detection.id, input)
  installAddOnTable(table)
  const a = fires(r.detection.id, input)
  if (b) before.push(r.detection.name)
  if (a) after.push(r.detection.name)
  if (b && !a) lost.push(r.detection.name)
  if (a && !b) gained.push({ name: r.detection.name, input })
}
console.log(
  `${splunk.length} Splunk rules; ${rawRules.length} read only raw Sysmon 1 / 4688 shapes; ${withInput} have a process-start example naming a process`,
)
console.log(`fire on their example built as a raw event: without add-on fields ${before.length}, with ${after.length}`)
console.log(`now fire (could not before): ${gained.length}; fired before and not now: ${lost.length}`)
// Statically: rules whose required fields (every clause: one field of it present) a built raw
// event carries only with the add-on fields, among those whose search names no event id other
// than 1 / 4688 (a rule for Sysmon EventID 7 never fires on a process start, whatever it reads).
const full: ProcessInput = { cmd: "a.exe b", parent: "p.exe", user: "u", host: "h", originalFileName: "o.exe" }
const carried = (t: typeof table) => {
  installAddOnTable(t)
  const b = buildProcessEvents(full).shapes
  installAddOnTable(table)
  return Object.fromEntries([...RAW].map((s) => [s, new Set(Object.keys(b[s] ?? {}))]))
}
const rawBefore = carried({})
const rawAfter = carried(table)
const otherIds = (text: string) => {
  const ids = [...text.matchAll(/\bEvent(?:Code|ID)\s*(?:=|!=|\s+IN\s*\()\s*"?(\d+)/gi)].map((m) => m[1])
  return ids.length > 0 && !ids.some((x) => x === "1" || x === "4688")
}
const reachable = (r: (typeof rawRules)[number], fields: Record<string, Set<string>>) =>
  r.shapes.some((s) => r.required.every((clause) => clause.some((id) => fields[s]?.has(compiled.fields[id]!.field))))
const processRules = rawRules.filter((r) => !otherIds(r.detection.search))
const nowReachable = processRules.filter((r) => reachable(r, rawAfter) && !reachable(r, rawBefore))
console.log(
  `${processRules.length} of them name no other event id; their required fields a built raw event carries: without add-on fields ${processRules.filter((r) => reachable(r, rawBefore)).length}, with ${processRules.filter((r) => reachable(r, rawAfter)).length} (${nowReachable.length} newly)`,
)
for (const r of nowReachable.slice(0, Number(process.env.SHOW ?? 15))) console.log(`  ~ ${r.detection.name}`)
for (const g of gained.slice(0, Number(process.env.SHOW ?? 15)))
  console.log(`  + ${g.name}  ⇐ ${JSON.stringify(g.input)}`)
for (const n of lost) console.log(`  - ${n}`)
