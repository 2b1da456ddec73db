/**
 * What the browser needs of the Elastic format: its rules read the `ecs` shape of a built event
 * (an ECS process start), and a pasted event as it is (JSON flattened to dotted ECS names),
 * provided it is ECS-shaped: an event naming no ECS field (Windows XML, evtx JSON, CIM fields)
 * is not what Elastic rules read.
 *
 * Invariants: light: never imports the Elastic reader (TOML parser, query parsers).
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/elastic but
 * lib/formats/types.ts, lib/events, lib/predicate and lib/model.
 */
import { ECS_SHAPE, looksLikeEcs } from "../../events/ecs.ts"
import type { FormatGate, FormatTesting } from "../types.ts"

/** Elastic rules read ECS events only. */
const gate: FormatGate<string> = {
  label: "Elastic (ECS events)",
  ruleSource: () => "ecs",
  key: (s) => s,
  builtSources: ["ecs"],
  eventSources: (e) => (looksLikeEcs(e) ? ["ecs"] : ["other"]),
  admits: (rule, sources) => sources.includes(rule),
  describe: (s) => (s === "ecs" ? "an ECS event" : "not an ECS event"),
  ungated: "The event is not ECS-shaped",
}

export const elasticTesting: FormatTesting = {
  id: "elastic",
  label: "Elastic",
  tester: {
    shapes: () => [ECS_SHAPE.id],
    pastedShape: ECS_SHAPE.id,
    readEvent: (event) => event,
    gate: gate as FormatGate,
    // Every ECS event says what kind of event it is; an example naming no other ECS field (a web
    // or cloud rule's) still reads as ECS to the gate.
    exampleOrigin: () => ({ "event.kind": "event" }),
  },
}
