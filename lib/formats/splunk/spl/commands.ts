/**
 * Classification of SPL commands for single-event evaluation.
 *
 * Owns: which commands filter, which transform one event (pass-through for the verdict), which
 * aggregate, and which block single-event evaluation — with the blocker's construct and
 * category (the categories mirror the spec's exclusive classification order).
 *
 * Invariants: a command missing from every table is an 'unsupported-command' blocker — the
 * engine never guesses that an unknown command is harmless.
 *
 * Must never import: React, Next, Node built-ins.
 */

export type BlockerCategory =
  "non-event" | "ml" | "lookup" | "join" | "aggregation" | "eventtype" | "geoip" | "first-stage" | "other"

/** Order used to pick one primary category per rule. */
export const CATEGORY_ORDER: BlockerCategory[] = [
  "non-event",
  "ml",
  "lookup",
  "join",
  "aggregation",
  "eventtype",
  "geoip",
  "first-stage",
  "other",
]

export type Blocker = { construct: string; category: BlockerCategory; message: string }

export const FILTER_COMMANDS = new Set(["search", "where", "regex"])

/** Per-event transforms and cosmetics: fine for one event. */
export const TRANSFORM_COMMANDS = new Set([
  "rename",
  "convert",
  "table",
  "fields",
  "fillnull",
  "dedup",
  "sort",
  "head",
  "tail",
  "reverse",
  "bin",
  "bucket",
  "makemv",
  "mvexpand",
  "mvcombine",
  "nomv",
  "spath",
  "xmlkv",
  "fromjson",
  "kv",
  "extract",
  "replace",
  "eval",
  "rex",
  "fieldformat",
  "addinfo",
  "localize",
  "typer",
  "tags",
  "rangemap",
  "strcat",
  "setfields",
  "format",
])

export const AGGREGATE_COMMANDS = new Set(["stats", "tstats"])

const MULTI_EVENT = [
  "eventstats",
  "streamstats",
  "transaction",
  "timechart",
  "chart",
  "top",
  "rare",
  "anomalydetection",
  "outlier",
  "cluster",
  "anomalies",
  "geostats",
  "predict",
  "trendline",
  "delta",
  "accum",
  "autoregress",
  "sistats",
  "contingency",
  "correlate",
  "associate",
  "kmeans",
  "bucketdir",
]
const JOINS = [
  "join",
  "append",
  "appendpipe",
  "appendcols",
  "union",
  "map",
  "foreach",
  "multisearch",
  "set",
  "selfjoin",
  "gentimes",
]

const TABLE: Record<string, Blocker> = {}
for (const c of MULTI_EVENT)
  TABLE[c] = { construct: c, category: "aggregation", message: `\`${c}\` combines many events` }
for (const c of JOINS)
  TABLE[c] = { construct: c, category: "join", message: `\`${c}\` needs other searches or results` }
for (const c of ["lookup", "outputlookup", "inputlookup", "inputcsv", "outputcsv"])
  TABLE[c] = {
    construct: c === "lookup" || c === "outputlookup" ? "lookup" : c,
    category: "lookup",
    message: `\`${c}\` needs lookup table data`,
  }
for (const c of ["apply", "fit", "score"])
  TABLE[c] = { construct: "ml", category: "ml", message: `\`${c}\` needs a machine-learning model` }
TABLE["iplocation"] = { construct: "iplocation", category: "geoip", message: "`iplocation` needs a GeoIP database" }

/** Generating commands other than tstats/search that cannot start a single-event evaluation. */
const NON_EVENT_FIRST: Record<string, string> = {
  mstats: "`mstats` searches metrics, not events",
  from: "`from` reads a data model or dataset, not a single event",
  inputlookup: "`inputlookup` reads a lookup table, not events",
  datamodel: "`datamodel` reads a data model, not a single event",
  rest: "`rest` queries the Splunk API",
  metadata: "`metadata` reads index metadata",
  makeresults: "`makeresults` generates synthetic rows",
  dbxquery: "`dbxquery` queries an external database",
}

export function blockerFor(command: string, first: boolean): Blocker | null {
  if (first && NON_EVENT_FIRST[command])
    return { construct: command, category: "non-event", message: NON_EVENT_FIRST[command] as string }
  const b = TABLE[command]
  if (b) return b
  if (FILTER_COMMANDS.has(command) || TRANSFORM_COMMANDS.has(command) || AGGREGATE_COMMANDS.has(command)) return null
  return {
    construct: "unsupported-command",
    category: "other",
    message: `\`${command}\` is not supported by the single-event evaluator`,
  }
}
