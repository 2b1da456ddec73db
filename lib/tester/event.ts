/**
 * Tester input → events, as the tester's callers import them: the process-event builder and the
 * readers of pasted text live in lib/events (process.ts, read.ts, json.ts, xml.ts, windows.ts),
 * shared with the rule formats.
 * The shapes a built event takes are lib/events/shapes.ts's; which a rule reads, its format's.
 *
 * Owns: nothing but the re-exports.
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
