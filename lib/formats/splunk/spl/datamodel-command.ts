/**
 * The `datamodel` generating command in its event-returning modes:
 *   | datamodel <Model> <Dataset> search|flat [strict_fields=<bool>] [allow_old_summaries=<bool>] [summariesonly=<bool>]
 * `search` returns the dataset's events with the model's fields named by dataset lineage
 * (`Processes.process_name`), `flat` the same events with those names unprefixed; with
 * `strict_fields=false` the events also keep every field extracted at search time (the add-on's
 * own names, such as Sysmon's `Description`) and `_raw`.
 *
 * Owns: recognising that form and what it means for one event (the data set it reads, the field
 * prefixes). The JSON modes (no mode word) and `acceleration_search` return no events: not this form.
 * Invariants: pure; never throws; undefined for anything else.
 * Must never import: React, Next, Node built-ins.
 */
import { dataModelPrefixes } from "./tstats.ts"

export type DatamodelCommand = {
  /** `Endpoint.Processes`. */
  datamodel: string
  mode: "search" | "flat"
  /** Prefixes the event's model fields carry (none in flat mode). */
  prefixes: string[]
  /** strict_fields as written; Splunk's default is true (only the model's fields). */
  strictFields: boolean
}

const OPTION = /^(strict_fields|allow_old_summaries|summariesonly)=(true|false|t|f|1|0)$/i

export function parseDatamodelCommand(body: string): DatamodelCommand | undefined {
  const words = body.trim().split(/\s+/)
  const [model, dataset, mode, ...rest] = words
  if (!model || !dataset || !mode) return undefined
  if (!/^\w+$/.test(model) || !/^\w+$/.test(dataset)) return undefined
  const m = mode.toLowerCase()
  if (m !== "search" && m !== "flat") return undefined
  let strictFields = true
  for (const w of rest) {
    const o = OPTION.exec(w)
    if (!o) return undefined
    if ((o[1] as string).toLowerCase() === "strict_fields") strictFields = /^(true|t|1)$/i.test(o[2] as string)
  }
  const datamodel = `${model}.${dataset}`
  return { datamodel, mode: m, prefixes: m === "search" ? dataModelPrefixes(datamodel, undefined) : [], strictFields }
}
