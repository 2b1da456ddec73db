/**
 * What the browser needs of the Elastic format: its rules read the `ecs` shape of a built event
 * (an ECS process start), and a pasted event as it is (JSON flattened to dotted ECS names). A
 * raw Windows event (it names a Channel or an EventID and no ECS field) is not what Elastic
 * rules read; an event naming neither reaches every Elastic rule.
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
  eventSources: (e) => (looksLikeEcs(e) ? ["ecs"] : e.Channel !== undefined || e.EventID !== undefined ? ["windows"] : undefined),
  admits: (rule, sources) => sources.includes(rule),
  describe: (s) => (s === "ecs" ? "ECS" : "a raw Windows event"),
  ungated: "The event names no ECS field and no Windows channel",
}

export const elasticTesting: FormatTesting = {
  id: "elastic",
  label: "Elastic",
  tester: {
    shapes: () => [ECS_SHAPE.id],
    pastedShape: ECS_SHAPE.id,
    readEvent: (event) => event,
    gate: gate as FormatGate,
  },
}
