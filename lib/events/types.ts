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

/**
 * One row of the shape table: how the process facts of a command line read in this shape. A row
 * is either a field mapping (`map`, `constants`, `readable`) or, for a schema whose fields are
 * computed (ECS `process.args`, `process.args_count`), a `build` function with the `fields` it
 * fills.
 */
export type EventShapeDef = MappedShape | BuiltShape

/** A shape computed by a function (lib/events/ecs.ts). */
export interface BuiltShape {
  id: EventShapeId
  label: string
  /** Fields a built event carries that a rule may test (see MappedShape.readable). */
  fields: readonly string[]
  build: (facts: ProcessFacts) => Event
  map?: undefined
}

/** A shape given as a field mapping. */
export interface MappedShape {
  id: EventShapeId
  /** Shown in the tester and the CLI ("read as Sysmon EventID 1"). */
  label: string
  /** Event field ← process fact, in the order the built event lists them; empty facts are left out. */
  map: ReadonlyArray<readonly [field: string, fact: ProcessFactKey]>
  /** Fields every event of the shape carries with a fixed value (EventID, Channel, source…). */
  constants: Readonly<Record<string, string | number>>
  /**
   * Constants a rule may test as content (`EventCode`), as opposed to the ones that only say
   * where the event came from (`source`): with the mapped fields, they decide which shapes can
   * answer a rule (a shape carrying none of the fields a rule reads is skipped).
   */
  readable: readonly string[]
  build?: undefined
}

/** The text facts a shape can map from. */
export type ProcessFactKey = Exclude<
  { [K in keyof ProcessFacts]-?: ProcessFacts[K] extends string | undefined ? K : never }[keyof ProcessFacts],
  undefined
>

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
  /** PE original file name. */
  originalFileName: string
  parentCommandLine?: string
  parentImage?: string
  parentImageName?: string
  user?: string
  host?: string
  /** Arguments after the image, as Windows splits them (ECS `process.args`); absent when not split. */
  args?: string[]
  /** Extra fields the caller set; every shape carries them as written, set last. */
  fields?: Record<string, string>
}
