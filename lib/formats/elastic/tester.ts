/**
 * What the browser needs of the Elastic format: its rules read the `ecs` shape of a built event
 * (an ECS process start), and a pasted event as it is (JSON flattened to dotted ECS names),
 * provided it is ECS-shaped: an event naming no ECS field (Windows XML, evtx JSON, CIM fields)
 * is not what Elastic rules read; and only events of the categories a rule requires.
 *
 * Invariants: light: never imports the Elastic reader (TOML parser, query parsers).
 * Never imports: React, Next, Node built-ins; nothing outside lib/formats/elastic but
 * lib/formats/types.ts, lib/events, lib/predicate and lib/model.
 */
import { ECS_SHAPE, looksLikeEcs } from "../../events/ecs.ts"
import type { Event, Predicate } from "../../predicate/types.ts"
import type { FormatGate, FormatTesting, RuleAnalysis } from "../types.ts"

/**
 * A rule's source: `ecs` (any ECS event) or `ecs:` and the event categories the rule requires
 * (`ecs:process`, `ecs:file,process`), lower case and sorted. An event's sources: `other` when it
 * is not ECS-shaped, else `ecs` and one `ecs:<category>` per value of its `event.category`.
 */
const ANY = "ecs"
const PREFIX = "ecs:"

/** The categories a predicate requires of `event.category`, when a top-level conjunct names them. */
function requiredCategories(p: Predicate): string[] | undefined {
  const conjuncts = p.op === "and" ? p.args : [p]
  for (const c of conjuncts) {
    const values = categoryValues(c)
    if (values) return [...new Set(values.map((v) => v.toLowerCase()))].sort()
  }
  return undefined
}

/** The plain values an `event.category` test accepts (`==`, `:`, `in`, or an OR of them). */
function categoryValues(p: Predicate): string[] | undefined {
  const plain = (v: string) => !/[*?]/.test(v)
  if (p.op === "cmp" && p.field === "event.category" && p.cmpOp === "=" && !p.fn && plain(p.value)) return [p.value]
  if (p.op === "in" && p.field === "event.category" && !p.fn && p.values.every(plain)) return p.values
  if (p.op === "or") {
    const all = p.args.map(categoryValues)
    return all.every((x) => x !== undefined) ? all.flat() : undefined
  }
  return undefined
}

/**
 * Elastic rules read ECS events only, and a rule requiring an event category (EQL's
 * `process where`, KQL's `event.category:process`) reads only events of that category: a built
 * command line (a process start) reaches the process rules, not the file, network or cloud ones.
 */
const gate: FormatGate<string> = {
  label: "Elastic (ECS event category)",
  ruleSource: (analysis: RuleAnalysis) => {
    const cats = requiredCategories(analysis.predicate)
    return cats ? PREFIX + cats.join(",") : ANY
  },
  key: (s) => s,
  builtSources: [ANY, `${PREFIX}process`],
  eventSources: (e: Event) => {
    if (!looksLikeEcs(e)) return ["other"]
    const raw = e["event.category"]
    const values = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map((v) =>
      String(v).toLowerCase(),
    )
    return [ANY, ...values.map((v) => PREFIX + v)]
  },
  admits: (rule, sources) => {
    if (!sources.includes(ANY)) return false
    if (rule === ANY) return true
    const named = sources.filter((s) => s.startsWith(PREFIX))
    // An ECS event naming no category is read by every Elastic rule, as its query decides.
    if (named.length === 0) return true
    return rule
      .slice(PREFIX.length)
      .split(",")
      .some((c) => named.includes(PREFIX + c))
  },
  describe: (s) =>
    s === ANY
      ? "an ECS event"
      : s.startsWith(PREFIX)
        ? `an ECS event of category ${s.slice(PREFIX.length).split(",").join(" or ")}`
        : "not an ECS event",
  // No `chunk`: the payload keeps Elastic rules in the core chunk or, when no built event can fire
  // them, in the pasted-event chunk, which is less for a command line to fetch than a chunk per
  // category (rules reading any ECS event, cloud ones among them, would reach every input).
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
