/**
 * What the browser needs of the Elastic format: its rules read the ECS shape of a built event; a
 * pasted event is read as it is and reaches them when it is ECS-shaped.
 *
 * Invariants: light: never imports the TOML reader or the query parsers.
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/elastic but
 * lib/formats/types.ts, lib/events, lib/predicate and lib/model.
 */
import { ECS_SHAPE, looksLikeEcs } from "../../events/ecs.ts"
import type { FormatGate, FormatTesting } from "../types.ts"

export const ELASTIC = "elastic"

/** Elastic rules read ECS events: a pasted event reaches them when it is ECS-shaped. */
const gate: FormatGate<string> = {
  label: "Elastic (ECS events)",
  ruleSource: () => "ecs",
  key: (s) => s,
  builtSources: ["ecs"],
  eventSources: (e) => (looksLikeEcs(e) ? ["ecs"] : ["other"]),
  admits: (rule, sources) => sources.includes(rule),
  describe: (s) => (s === "ecs" ? "ECS event" : "not an ECS event"),
  ungated: "The event is not ECS-shaped",
}

export const elasticTesting: FormatTesting = {
  id: ELASTIC,
  label: "Elastic",
  tester: {
    shapes: () => [ECS_SHAPE.id],
    pastedShape: "event",
    readEvent: (e) => e,
    gate: gate as FormatGate,
  },
}
