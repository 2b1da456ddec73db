/**
 * A Sigma rule → a Splunk search, for two targets: `spl-raw` (the Windows event log source the
 * logsource names, Sigma's field names) and `spl-cim` (the CIM data set, fields renamed by the
 * mapping table of spl-targets.ts).
 *
 * spl-cim has two forms. `tstats` over the data set when every field the rule reads is a field
 * of the data model. Otherwise (a field the model lacks, such as Sysmon's `Description`, or a
 * free-text keyword) a search over the data set's events: `| datamodel <Model> <Dataset> search
 * strict_fields=false`, which returns the events with the model's fields under their dataset
 * names (`Processes.process_name`) and keeps every field the add-on extracts under its own name,
 * and `_raw`; the rule's mapped fields read the model, the rest read the add-on's names (Sigma's
 * Windows names are the Sysmon and Windows add-ons' names). A comment line in the search says
 * why it is not tstats.
 *
 * Owns: the target names, the field renaming (including the `field|endswith` rows that test a
 * file name instead of a path) and the assembly of the search text from the writer's parts.
 * Invariants: pure; never throws; a rule that cannot be translated exactly gets a reason, never
 * an approximate search (the round trip in round-trip.ts holds every translation to the Sigma
 * engine's verdicts).
 * Never imports: React, Next, Node built-ins.
 */
import { mapLeaves } from "../predicate/build.ts"
import type { Leaf, Predicate } from "../predicate/types.ts"
import type { SigmaAnalysis } from "../formats/sigma/types.ts"
import { cimDataset, rawSource, type CimDataset } from "./spl-targets.ts"
import { quote, searchField, splitPredicate, Untranslatable } from "./spl-writer.ts"

export const SPL_TARGETS = ["spl-raw", "spl-cim"] as const
export type SplTarget = (typeof SPL_TARGETS)[number]

export const TARGET_LABEL: Record<SplTarget, string> = {
  "spl-raw": "Raw Windows events",
  "spl-cim": "CIM data model",
}

/** A translation's name as a page shows it: the target, and for spl-cim which form it took. */
export function translationLabel(t: { target: SplTarget; form?: "tstats" | "datamodel" }): string {
  const form = t.form === "tstats" ? " (tstats)" : t.form === "datamodel" ? " (data-model search)" : ""
  return TARGET_LABEL[t.target] + form
}

export type SplTranslation =
  | {
      ok: true
      target: SplTarget
      search: string
      datamodel?: string
      source?: string
      /**
       * spl-cim: `tstats`, or `datamodel` (a search over the data set's events) with the fields it
       * reads outside the model (`rawFields`, plus `_raw` for a free-text keyword).
       */
      form?: "tstats" | "datamodel"
      rawFields?: string[]
    }
  | { ok: false; target: SplTarget; reason: string }

/** Why a Sigma rule is not translated at all, whatever the target. */
function ruleProblem(sigma: SigmaAnalysis): string | undefined {
  if (sigma.kind === "correlation") return "a correlation rule spans several events; SPL has no one-search form here"
  if (!sigma.evaluable) return sigma.reason ?? "the rule cannot be decided on one event"
  return undefined
}

function walk(p: Predicate, visit: (l: Leaf) => void): void {
  if (p.op === "not") walk(p.arg, visit)
  else if (p.op === "and" || p.op === "or" || p.op === "xor") for (const a of p.args) walk(a, visit)
  else if (p.op !== "true" && p.op !== "false") visit(p)
}

/** Translate one Sigma rule to one target. */
export function sigmaToSpl(sigma: SigmaAnalysis, target: SplTarget): SplTranslation {
  const problem = ruleProblem(sigma)
  if (problem) return { ok: false, target, reason: problem }
  try {
    return target === "spl-raw" ? toRaw(sigma) : toCim(sigma)
  } catch (e) {
    if (e instanceof Untranslatable) return { ok: false, target, reason: e.message }
    throw e
  }
}

/** The Sysmon registry event kinds a category keeps, exact as the Sigma logsource gate compares them (Sysmon writes one spelling). */
function eventTypeGate(kinds: string[]): string {
  const terms = kinds.map((t) => `EventType=CASE(${t})`)
  return terms.length === 1 ? (terms[0] as string) : `(${terms.join(" OR ")})`
}

function toRaw(sigma: SigmaAnalysis): SplTranslation {
  const src = rawSource(sigma.logsource)
  if ("reason" in src) return { ok: false, target: "spl-raw", reason: src.reason }
  const head = [`source=${quote(src.source)}`]
  if (src.codes.length === 1) head.push(`EventCode=${src.codes[0]}`)
  else if (src.codes.length > 1) head.push(`EventCode IN (${src.codes.join(", ")})`)
  if (src.eventType) head.push(eventTypeGate(src.eventType))
  const parts = splitPredicate(sigma.predicate, { raw: true })
  let search = head.join(" ")
  if (parts.search) search += `\n  ${parts.search}`
  if (parts.where) search += `\n| where ${parts.where}`
  return { ok: true, target: "spl-raw", search, source: src.source }
}

/**
 * `*tail` with no backslash and no other wildcard → the same test on the file name (the CIM
 * `*_name` field is the path after its last backslash), else undefined. `*\\name` stays a path
 * test: a file name equal to `name` also matches a path with no backslash at all, which the
 * Sigma test does not.
 */
export function fileNameTest(glob: string): string | undefined {
  if (!glob.startsWith("*")) return undefined
  const tail = glob.slice(1)
  return tail !== "" && !tail.includes("*") && !tail.includes("\\") ? glob : undefined
}

/**
 * The predicate with the data set's field names. `outside` undefined: a field the model lacks (or
 * a keyword) is untranslatable; otherwise it keeps its name and is collected there.
 */
function renameForCim(p: Predicate, ds: CimDataset, outside?: Set<string>): Predicate {
  const target = (field: string): string => {
    const to = ds.mapping[field]
    if (to) return `${ds.prefix}.${to}`
    if (!outside) throw new Untranslatable(`field \`${field}\` has no ${ds.datamodel} field in the CIM mapping`)
    outside.add(field)
    return field
  }
  return mapLeaves(p, (leaf) => {
    if (leaf.op === "keyword") {
      if (!outside)
        throw new Untranslatable("a keyword (free-text) search needs the raw event, which a data model does not keep")
      outside.add("_raw")
      return leaf
    }
    if (leaf.op === "unknown") throw new Untranslatable(leaf.reason)
    const byName = ds.mapping[`${"field" in leaf ? leaf.field : ""}|endswith`]
    if (byName && leaf.op === "cmp" && leaf.lang === "search" && leaf.cmpOp === "=" && !leaf.caseSensitive) {
      const name = fileNameTest(leaf.value)
      if (name !== undefined) return { ...leaf, field: `${ds.prefix}.${byName}`, value: name }
    }
    if (byName && leaf.op === "in" && leaf.lang === "search") {
      const names = leaf.values.map(fileNameTest)
      if (names.every((n) => n !== undefined))
        return { ...leaf, field: `${ds.prefix}.${byName}`, values: names as string[] }
    }
    const out = { ...leaf } as Leaf & { field?: string; other?: string }
    if ("field" in leaf) out.field = target(leaf.field)
    if (leaf.op === "fieldcmp") out.other = target(leaf.other)
    return out as Leaf
  })
}

/** What tstats writes for a missing group-by field, so an event missing one is kept, not dropped. */
const CIM_FILL = "-"

function toCim(sigma: SigmaAnalysis): SplTranslation {
  const ds = cimDataset(sigma.logsource)
  if ("reason" in ds) return { ok: false, target: "spl-cim", reason: ds.reason }
  let p: Predicate
  try {
    p = renameForCim(sigma.predicate, ds)
  } catch (e) {
    if (!(e instanceof Untranslatable)) throw e
    return toDatamodelSearch(sigma, ds)
  }
  const parts = splitPredicate(p, { raw: false, fill: CIM_FILL })
  const by = [...new Set([...ds.by.map((f) => `${ds.prefix}.${f}`), ...parts.whereFields])]
  let search =
    `| tstats summariesonly=false allow_old_summaries=true fillnull_value=${quote(CIM_FILL)} count min(_time) as firstTime max(_time) as lastTime` +
    `\n  from datamodel=${ds.datamodel}`
  if (parts.search) search += `\n  where ${parts.search}`
  search += `\n  by ${by.map(searchField).join(" ")}`
  if (parts.where) search += `\n| where ${parts.where}`
  return { ok: true, target: "spl-cim", search, datamodel: ds.datamodel, form: "tstats" }
}

/** A list in words: `a`, `a and b`, `a, b and c`. */
const words = (xs: string[]): string =>
  xs.length < 2 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1] as string}`

/** The data set's events, filtered: for a rule that reads what tstats cannot (see the file comment). */
function toDatamodelSearch(sigma: SigmaAnalysis, ds: CimDataset): SplTranslation {
  const outside = new Set<string>()
  const p = renameForCim(sigma.predicate, ds, outside)
  const fields = [...outside].filter((f) => f !== "_raw").sort()
  const why: string[] = []
  if (fields.length)
    why.push(`${words(fields)} ${fields.length === 1 ? "is not a field" : "are not fields"} of ${ds.datamodel}`)
  if (outside.has("_raw")) why.push("a free-text term reads the event text (_raw)")
  const [model, dataset] = ds.datamodel.split(".") as [string, string]
  const comment =
    `\`\`\` Not tstats: ${why.join("; ")}. This searches the data model's events, which keep the fields ` +
    `the Windows add-ons extract (strict_fields=false). \`\`\``
  const parts = splitPredicate(p, { raw: true })
  // The data set holds every kind of registry event; the logsource names some (as spl-raw's header does).
  const src = rawSource(sigma.logsource)
  const gate = !("reason" in src) && src.eventType ? eventTypeGate(src.eventType) : undefined
  const terms = [gate, parts.search].filter((x) => x !== undefined)
  let search = `| datamodel ${model} ${dataset} search strict_fields=false\n${comment}`
  if (terms.length) search += `\n| search ${terms.join("\n  ")}`
  if (parts.where) search += `\n| where ${parts.where}`
  return {
    ok: true,
    target: "spl-cim",
    search,
    datamodel: ds.datamodel,
    form: "datamodel",
    rawFields: [...outside].sort(),
  }
}

/** Both translations of a rule (what its page shows). */
export function sigmaTranslations(sigma: SigmaAnalysis): SplTranslation[] {
  return SPL_TARGETS.map((t) => sigmaToSpl(sigma, t))
}

export { walk as walkSigmaLeaves }
