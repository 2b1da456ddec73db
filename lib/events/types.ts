/**
 * The shapes of tester events: which field names a built process event carries for each family
 * of rules, and what a pasted event is read as.
 *
 * Owns: the `EventShapeId` vocabulary and the `EventShapeDef` record every shape table row
 * follows (lib/events/shapes.ts holds the table).
 * Invariants: plain data; a shape id is stable (it appears in tester reports and the CLI's JSON).
 * Never imports: React, Next, Node built-ins, or any lib/ folder but lib/predicate and lib/source.
 */
import type { Event } from "../predicate/types.ts"

/**
 * The id of one event shape: `cim` (Splunk CIM Endpoint.Processes), `sysmon` (Sysmon EventID 1 as
 * Splunk indexes it), `security4688` (Security 4688), `sigma` (Sysmon EventID 1 in Sigma's field
 * names), `ecs` (Elastic Common Schema), or `event` (a pasted event read as it is).
 */
export type EventShapeId = string

/** One row of the shape table: how a command line becomes an event in this shape. */
export interface EventShapeDef {
  id: EventShapeId
  /** Shown in the tester and the CLI ("read as Sysmon EventID 1"). */
  label: string
  /**
   * Fields a built event of this shape carries: the tester skips shapes that carry none of the
   * fields a rule reads.
   */
  fields: readonly string[]
  /** Builds the event from the format-neutral process facts (see ProcessFacts). */
  build: (facts: ProcessFacts) => Event
}

/**
 * A process-creation event before it takes any shape: what the command line, its parent and
 * the caller's options say. Built once per input (lib/events/process.ts), then turned into each
 * shape by its table row.
 */
export interface ProcessFacts {
  /** The command line, trimmed, verbatim. */
  commandLine: string
  /** Image path as a log would hold it (the bare name when the folder is unknown). */
  image: string
  /** Image basename (`wmic.exe`). */
  imageName: string
  /** Arguments after the image token, split the way Windows' CommandLineToArgvW splits them. */
  args: string[]
  /** PE original file name. */
  originalFileName: string
  parentCommandLine?: string
  parentImage?: string
  parentImageName?: string
  user?: string
  host?: string
  /** Extra fields the caller set; every shape carries them as written, set last. */
  fields?: Record<string, string>
}
