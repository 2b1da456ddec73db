/**
 * Tester input → events, as the tester's callers import them: the process-event builder and the
 * readers of pasted text live in lib/events (process.ts, read.ts, json.ts, xml.ts, windows.ts),
 * shared with the rule formats.
 *
 * Owns: the tester's names for the shapes (EventShape, EVENT_SHAPES, SPL_SHAPES).
 * Must never import: React, Next, Node built-ins, DOM APIs.
 */
export { EventParseError } from "../events/errors.ts"
export { jsonToEvent } from "../events/json.ts"
export {
  basename,
  buildProcessEvents,
  defaultOriginalFileName,
  inferImage,
  KNOWN_SYSTEM_DIRS,
  ORIGINAL_FILE_NAMES,
  splitCommandLine,
} from "../events/process.ts"
export type { BuiltEvents, ImageInfo, ProcessInput } from "../events/process.ts"
export { parseEvents } from "../events/read.ts"
export { SYSMON_CHANNEL } from "../events/mappings.ts"
export { windowsKind, withCimFields } from "../events/windows.ts"
export { parseXml, type XmlNode } from "../events/xml.ts"

/**
 * The shapes a built process event takes: CIM Endpoint.Processes, Sysmon EventID 1 and Security
 * 4688 as Splunk indexes them (SPL rules), and Sysmon EventID 1 in Sigma's field names with its
 * Channel and provider (Sigma process_creation rules). The rows are lib/events/shapes.ts.
 */
export type EventShape = "cim" | "sysmon" | "security4688" | "sigma"
export const EVENT_SHAPES: readonly EventShape[] = ["cim", "sysmon", "security4688", "sigma"]
/** The shapes SPL rules choose from (see ruleShapes in compile.ts). */
export const SPL_SHAPES: readonly EventShape[] = ["cim", "sysmon", "security4688"]
