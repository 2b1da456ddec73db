/**
 * The shapes a built process event takes, as a table: one row per shape, each a mapping from the
 * format-neutral process facts to the shape's field names plus the constants its logs carry.
 *
 * Owns: EVENT_SHAPE_DEFS (CIM Endpoint.Processes, Sysmon EventID 1 and Security 4688 as Splunk
 * indexes them, Sysmon EventID 1 in Sigma's field names with its Channel and provider, and the
 * ECS process start of lib/events/ecs.ts) and the generic builder. A rule format names the shapes its rules read (RuleFormat.tester.shapes).
 * Invariants: pure data plus one generic function; field order in a built event is row order.
 * Never imports: React, Next, Node built-ins; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event } from "../predicate/types.ts"
import { addAddOnFields } from "./addon.ts"
import { ECS_SHAPE } from "./ecs.ts"
import { SYSMON_CHANNEL } from "./mappings.ts"
import type { EventShapeDef, ProcessFacts } from "./types.ts"

/** Every shape a built event takes, in the order the tester and the CLI list them. */
export const EVENT_SHAPE_DEFS: readonly EventShapeDef[] = [
  {
    id: "cim",
    label: "CIM Endpoint.Processes",
    map: [
      ["process", "commandLine"],
      ["process_name", "imageName"],
      ["original_file_name", "originalFileName"],
      ["process_path", "image"],
      ["process_exec", "imageName"],
      ["parent_process", "parentCommandLine"],
      ["parent_process_name", "parentImageName"],
      ["parent_process_path", "parentImage"],
      ["parent_process_exec", "parentImageName"],
      ["user", "user"],
      ["dest", "host"],
    ],
    constants: { action: "allowed", vendor_product: "Microsoft Sysmon" },
    readable: ["action", "vendor_product"],
  },
  {
    id: "sysmon",
    label: "Sysmon EventID 1",
    map: [
      ["CommandLine", "commandLine"],
      ["Image", "image"],
      ["OriginalFileName", "originalFileName"],
      ["ParentImage", "parentImage"],
      ["ParentCommandLine", "parentCommandLine"],
      ["User", "user"],
      ["Computer", "host"],
    ],
    constants: {
      EventCode: "1",
      EventID: "1",
      source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",
      sourcetype: "xmlwineventlog",
    },
    readable: ["EventCode", "EventID"],
  },
  {
    id: "security4688",
    label: "Security 4688",
    map: [
      ["NewProcessName", "image"],
      ["Process_Command_Line", "commandLine"],
      ["CommandLine", "commandLine"],
      ["ParentProcessName", "parentImage"],
      ["SubjectUserName", "user"],
      ["Computer", "host"],
    ],
    constants: { EventCode: "4688", EventID: "4688", source: "XmlWinEventLog:Security", sourcetype: "xmlwineventlog" },
    readable: ["EventCode", "EventID"],
  },
  {
    id: "sigma",
    label: "Sigma process_creation",
    map: [
      ["CommandLine", "commandLine"],
      ["Image", "image"],
      ["OriginalFileName", "originalFileName"],
      ["ParentImage", "parentImage"],
      ["ParentCommandLine", "parentCommandLine"],
      ["User", "user"],
      ["Computer", "host"],
    ],
    constants: { EventID: 1, Channel: SYSMON_CHANNEL, Provider_Name: "Microsoft-Windows-Sysmon" },
    readable: [],
  },
  ECS_SHAPE,
]

/** The shape with this id; undefined when no row has it. */
export function shapeDef(id: string): EventShapeDef | undefined {
  return EVENT_SHAPE_DEFS.find((s) => s.id === id)
}

/**
 * Fields a built event of this shape carries that a rule may test: the mapped fields, and the
 * constants the row lists as `readable` (the others, like `source`, say where the event came
 * from rather than what happened). Add-on fields are left out: they depend on the content, and
 * which shapes a rule reads must not.
 */
export function shapeFields(def: EventShapeDef): Set<string> {
  if (def.build) return new Set(def.fields)
  const out = new Set(def.map.map(([f]) => f))
  for (const f of def.readable) out.add(f)
  return out
}

/**
 * The process facts as an event of one shape: mapped fields that have a value, the constants,
 * then the add-on fields the content's data sources give the shape (addon.ts; none when no table
 * is installed).
 */
export function shapeEvent(def: EventShapeDef, facts: ProcessFacts): Event {
  if (def.build) return def.build(facts)
  const e: Event = {}
  for (const [field, fact] of def.map) {
    const v = facts[fact]
    if (typeof v === "string" && v !== "") e[field] = v
  }
  for (const [k, v] of Object.entries(def.constants)) e[k] = v
  return addAddOnFields(def.id, e)
}
