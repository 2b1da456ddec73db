/**
 * `npm run atlas -- <command>`: the catalog outside the browser, for people and CI.
 *
 * Owns: argument parsing (node:util parseArgs: an unknown flag or a flag without its value is an
 * error with the usage, exit 2) and output. Commands: `validate` (diagnostics, exit 1 on errors),
 * `report` (the counts of out/report.json, without building the site) and `match` (the tester
 * engine of lib/tester on a command line, a pasted event file or a JSONL batch), `hunt` (log
 * files through every rule with lib/hunt, multi-event stages included) and `convert` (Sigma
 * files → security_content detections searching in SPL, lib/convert). Results go to
 * stdout; progress goes to stderr so stdout stays machine-readable.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs as parseArgv } from "node:util"

import { contentRoots, loadCatalog } from "./catalog/load.node.ts"
import { translationsBeside, verdictText, type BesideVerdict } from "./convert/beside.ts"
import { detectionYaml } from "./convert/detection-yaml.ts"
import { sigmaToSpl, SPL_TARGETS, type SplTarget } from "./convert/sigma-to-spl.ts"
import { eventLogsources, PROCESS_CREATION, readSigmaText, sigmaEventOf } from "./formats/sigma/index.ts"
import { buildReport, formatDiagnostic, summaryLine } from "./catalog/report.ts"
import type { Event } from "./predicate/index.ts"
import { buildProcessEvents, jsonToEvent, parseEvents, type ProcessInput } from "./tester/event.ts"
import { deriveFromEvent, deriveFromProcess, type DecodedScript } from "./tester/powershell.ts"
import {
  compileCatalog,
  DEFAULT_RISK_THRESHOLD,
  matchEvent,
  type CompiledCatalog,
  type FiredRule,
  type MatchReport,
  type TesterInput,
} from "./tester/match.ts"
import { NEAR_MISS_LIMIT } from "./tester/near-miss-rank.ts"
import { Hunter, type HuntCatalog, type HuntReport } from "./hunt/hunt.ts"
import { huntJsonObject } from "./hunt/export.ts"
import { huntFromPayload, leanHunt, type HuntPayload } from "./hunt/payload.ts"
import { readLog } from "./hunt/read.node.ts"
import { isoTime } from "./hunt/time.ts"
import { firesOnEverything, STATUS_GROUPS, DEFAULT_STATUSES, verdict, type StatusGroup } from "./tester/verdict.ts"

const USAGE = `usage: atlas <command> [options]

commands:
  validate [--content dir[,dir]] [--json]   check every file; exit 1 when any error is found
  report   [--content dir[,dir]]            print the catalog's counts as JSON
  hunt     FILE... [--content dir[,dir] | --rules rules.json] [--json] [--threshold N]
                                            every event of the logs through every rule, with the
                                            multi-event stages (stats, tstats, eventstats, …)
  match    --cmd "..." [--parent "..."] [--user u] [--host h] [--field k=v ...]
           | --event file.json|-  | --batch file.jsonl
           [--content dir[,dir]] [--json] [--threshold N] [--near N] [--status s[,s]] [--spl]
                                            evaluate a command line or event against every rule
  convert  --to spl-raw|spl-cim PATH... --out DIR [--json]
                                            translate Sigma rules (files or folders) to Splunk
                                            detections, one security_content YAML file per rule

options:
  --content   content folders (default: $CATALOG_CONTENT or content/)
  --json      validate: diagnostics as JSON; match: a JSON array of the firing rules;
              hunt: {"events": N, "rules": [...]} with the rules that have hits;
              convert: {"converted": N, "failed": [{"path", "reason"}]}
  --to        convert: spl-raw (the raw Windows event log, Sigma's field names) or spl-cim
              (tstats over the CIM data model; a search over the data set's events when the
              rule reads a field the model lacks)
  --out       convert: the folder the detection files are written to (created if missing)
  --batch     one case per line ({"cmd": "...", "parent": "..."} or {"event": {...}}); prints one
              JSON line per case; exit 1 when any case could not be read
  --rules     hunt: the rules of a built site (out/tester/hunt/rules.json) instead of loading the
              content: starts at once and holds less (lookups are then undecided)
  --threshold risk-based alerting threshold per entity (default ${DEFAULT_RISK_THRESHOLD})
  --near      how many near misses to print, closest first (default ${NEAR_MISS_LIMIT})
  --spl       match: run each Sigma rule's SPL translations (spl-raw, spl-cim) beside it and
              say where they differ
  --status    rule statuses counted in the verdict: ${STATUS_GROUPS.join(", ")} (default ${DEFAULT_STATUSES.join(",")})`

interface Args {
  command?: string
  content?: string
  json: boolean
  cmd?: string
  parent?: string
  user?: string
  host?: string
  fields: Record<string, string>
  event?: string
  batch?: string
  threshold?: number
  near?: number
  statuses?: StatusGroup[]
  to?: SplTarget
  out?: string
  paths: string[]
  rules?: string
  spl: boolean
}

function fail(message: string): never {
  process.stderr.write(`atlas: ${message}\n${USAGE}\n`)
  process.exit(2)
}

/** The options parseArgs knows: anything else, or a value flag without its value, is an error with usage. */
const OPTIONS = {
  content: { type: "string" },
  json: { type: "boolean" },
  cmd: { type: "string" },
  parent: { type: "string" },
  user: { type: "string" },
  host: { type: "string" },
  field: { type: "string", multiple: true },
  event: { type: "string" },
  batch: { type: "string" },
  threshold: { type: "string" },
  near: { type: "string" },
  status: { type: "string" },
  to: { type: "string" },
  out: { type: "string" },
  spl: { type: "boolean" },
  rules: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const

function parseArgs(argv: string[]): Args {
  let parsed: ReturnType<
    typeof parseArgv<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>
  >
  try {
    parsed = parseArgv({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (e) {
    // Node's messages name the option: "Unknown option '--contnet'", "Option '--content <value>' argument missing".
    fail((e as Error).message)
  }
  const { values: v, positionals } = parsed
  // hunt and convert take files after the command; every other command takes none.
  if (positionals.length > 1 && positionals[0] !== "hunt" && positionals[0] !== "convert")
    fail(`one command expected, got ${positionals.map((p) => `"${p}"`).join(", ")}`)
  const args: Args = { json: v.json === true, fields: {}, paths: positionals.slice(1), spl: v.spl === true }
  if (v.to !== undefined) {
    if (!(SPL_TARGETS as readonly string[]).includes(v.to))
      fail(`--to expects ${SPL_TARGETS.join(" or ")}, got "${v.to}"`)
    args.to = v.to as SplTarget
  }
  if (v.out !== undefined) args.out = v.out
  const command = v.help ? "help" : positionals[0]
  if (command !== undefined) args.command = command
  for (const k of ["content", "cmd", "parent", "user", "host", "event", "batch", "rules"] as const) {
    const value = v[k]
    if (value !== undefined) args[k] = value
  }
  for (const value of v.field ?? []) {
    const eq = value.indexOf("=")
    if (eq <= 0) fail(`--field expects k=v, got "${value}"`)
    args.fields[value.slice(0, eq)] = value.slice(eq + 1)
  }
  if (v.near !== undefined) {
    const n = Number(v.near)
    if (v.near.trim() === "" || !Number.isInteger(n) || n < 0) fail(`--near expects a whole number, got "${v.near}"`)
    args.near = n
  }
  if (v.status !== undefined) {
    const list = v.status.split(",").map((x) => x.trim())
    const bad = list.find((x) => !(STATUS_GROUPS as readonly string[]).includes(x))
    if (bad !== undefined) fail(`--status expects ${STATUS_GROUPS.join(", ")}, got "${bad}"`)
    args.statuses = list as StatusGroup[]
  }
  if (v.threshold !== undefined) {
    const n = Number(v.threshold)
    if (v.threshold.trim() === "" || !Number.isFinite(n)) fail(`--threshold expects a number, got "${v.threshold}"`)
    args.threshold = n
  }
  return args
}

function main(): void {
  const args = parseArgs(process.argv.slice(2))
  if (!args.command || args.command === "help") {
    process.stdout.write(`${USAGE}\n`)
    process.exit(args.command ? 0 : 2)
  }
  if (args.command === "convert") process.exit(runConvert(args))
  if (args.command === "hunt" && args.rules !== undefined) {
    if (!args.paths.length) fail("hunt needs at least one log file (or - for stdin)")
    let hunt: HuntCatalog
    try {
      hunt = huntFromPayload(JSON.parse(readFileSync(args.rules, "utf8")) as HuntPayload)
    } catch (e) {
      process.stderr.write(`atlas: ${args.rules}: ${(e as Error).message}\n`)
      process.exit(2)
    }
    startHunt(args, hunt)
    return
  }
  const roots = contentRoots(args.content ?? process.env.CATALOG_CONTENT)
  const catalog = loadCatalog({ roots, onProgress: (l) => process.stderr.write(`atlas: ${l}\n`) })
  if (args.command === "validate") {
    if (args.json) process.stdout.write(`${JSON.stringify(catalog.diagnostics, null, 1)}\n`)
    else for (const d of catalog.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`)
    process.stderr.write(`atlas: ${summaryLine(catalog)}\n`)
    process.exit(catalog.diagnostics.some((d) => d.severity === "error") ? 1 : 0)
  }
  if (args.command === "report") {
    const { counts, byKind, timings, roots: r, attackVersion } = buildReport(catalog, { strict: false })
    process.stdout.write(`${JSON.stringify({ roots: r, attackVersion, counts, byKind, timings }, null, 1)}\n`)
    return
  }
  if (args.command === "match") {
    process.exit(runMatch(args, catalog.detections))
  }
  if (args.command === "hunt") {
    if (!args.paths.length) fail("hunt needs at least one log file (or - for stdin)")
    // Only the lean rules go on: the loaded catalog (texts, pages' data) is let go before the hunt.
    const t0 = performance.now()
    const hunt = leanHunt(catalog.detections, catalog.lookupTables)
    process.stderr.write(
      `atlas: hunt: ${hunt.rules.length} rules ready (${hunt.notHunted.length} not hunted) in ${Math.round(performance.now() - t0)} ms\n`,
    )
    startHunt(args, hunt)
    return
  }
  process.stderr.write(`atlas: unknown command ${args.command}\n${USAGE}\n`)
  process.exit(2)
}

/** Sigma files under a path (a file as given, a folder walked for .yml/.yaml), sorted. */
function sigmaFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path)
    .sort()
    .flatMap((n) => {
      const p = join(path, n)
      return statSync(p).isDirectory() ? sigmaFiles(p) : /\.ya?ml$/i.test(n) ? [p] : []
    })
}

/**
 * `convert`: every Sigma rule under the paths → one detection file in --out. Exit 0 when at
 * least one rule converted, 1 when none did; a missing path or option is a usage error (2).
 */
function runConvert(args: Args): number {
  const target = args.to ?? fail("convert needs --to spl-raw or --to spl-cim")
  const out = args.out ?? fail("convert needs --out DIR")
  if (args.paths.length === 0) fail("convert needs at least one Sigma file or folder")
  for (const p of args.paths) if (!existsSync(p)) fail(`no such file or folder: ${p}`)
  mkdirSync(out, { recursive: true })
  const failed: Array<{ path: string; reason: string }> = []
  const written = new Set<string>()
  let converted = 0
  for (const file of args.paths.flatMap(sigmaFiles)) {
    const r = readSigmaText(file, readFileSync(file, "utf8"))
    const errors = r.diagnostics.filter((d) => d.severity === "error")
    if (r.rules.length === 0) {
      failed.push({
        path: file,
        reason: errors[0] ? `${errors[0].line}:${errors[0].column}: ${errors[0].message}` : "no Sigma rule in the file",
      })
      continue
    }
    for (const { rule, document } of r.rules) {
      const where = r.rules.length > 1 ? `${file} (document ${document + 1})` : file
      const t = sigmaToSpl(rule.analysis, target)
      if (!t.ok) {
        failed.push({ path: where, reason: t.reason })
        continue
      }
      const y = detectionYaml(rule, t)
      if (!y.ok) {
        failed.push({ path: where, reason: y.reason })
        continue
      }
      let name = y.name
      if (written.has(name)) name = name.replace(/\.yml$/, `_${(rule.id ?? "").slice(0, 8)}.yml`)
      written.add(name)
      writeFileSync(join(out, name), y.text)
      converted++
    }
  }
  if (args.json) process.stdout.write(`${JSON.stringify({ converted, failed }, null, 1)}\n`)
  else {
    process.stdout.write(
      `converted ${converted} rule${converted === 1 ? "" : "s"} to ${target} in ${out}; ${failed.length} not converted\n`,
    )
    for (const f of failed) process.stdout.write(`  ${f.path}: ${f.reason}\n`)
  }
  return converted > 0 ? 0 : 1
}

/** The JSON form of one firing rule (the `--json` array element). */
function firedJson(f: FiredRule, eventIndex?: number): Record<string, unknown> {
  return {
    id: f.id,
    name: f.name,
    format: f.format,
    slug: f.slug,
    type: f.type,
    status: f.status,
    ...(f.severity !== undefined ? { severity: f.severity } : {}),
    shape: f.shape,
    ...(f.riskScore !== undefined ? { riskScore: f.riskScore } : {}),
    risk: f.risk,
    trace: f.summary,
    ...(eventIndex !== undefined ? { event: eventIndex } : {}),
  }
}

function printHuman(
  report: MatchReport,
  label: string | undefined,
  near: number,
  statuses: readonly StatusGroup[],
): void {
  const out = (l: string) => process.stdout.write(`${l}\n`)
  if (label) out(`\n== ${label}`)
  const c = report.counts
  const v = verdict(report, statuses)
  const hidden = STATUS_GROUPS.filter((g) => v.hidden[g] > 0).map((g) => `${v.hidden[g]} ${g}`)
  out(
    `${v.fired.length} rule(s) fire out of ${c.rules}${v.highest ? `, highest severity ${v.highest}` : ""}` +
      `${hidden.length ? ` (${hidden.join(", ")} not counted; --status to include)` : ""}; ${c.nearMisses} near miss(es); ${c.undecided} cannot be judged on one event${c.notAnalysed ? `; ${c.notAnalysed} not analysed` : ""}`,
  )
  if (v.totals.length) {
    out(`risk per entity (threshold ${report.risk.threshold}):`)
    for (const t of v.totals)
      out(
        `  ${t.field}=${t.value}: ${t.score}  ${t.exceeds ? "EXCEEDS: would alert" : "below: no alert"}  (${t.rules.join(", ")})`,
      )
  }
  if (v.unnamed)
    out(
      `risk: the input names no ${v.totals.length ? "value for some risk fields" : "user or host"}; that risk is shown per rule`,
    )
  for (const g of v.groups) {
    out(`\n${g.format} · ${g.severity}`)
    for (const f of g.rules) {
      out(
        `  ${f.type}  ${f.name}  (${f.id}, ${f.slug}, ${f.shape} shape${f.status !== "production" ? `, ${f.status}` : ""})`,
      )
      if (firesOnEverything(f))
        out("    FIRES ON EVERYTHING IT READS: no positive condition held on a value of the event")
      out(`    held: ${f.summary}`)
      for (const r of f.risk)
        out(
          `    risk +${r.score} ${r.field}${r.value !== undefined ? `=${r.value}` : " (not in the input)"}: ${r.basis}`,
        )
      if (f.noRisk) out(`    ${f.noRisk}`)
    }
  }
  if (report.nearMisses.length && near > 0) {
    const shown = report.nearMisses.slice(0, near)
    out(
      `\nnear misses, closest first (${shown.length} of ${report.nearMisses.length}${shown.length < report.nearMisses.length ? "; --near N for more" : ""}):`,
    )
    for (const n of shown) {
      const failed = n.failed
        .map((l) => l.test + (l.value !== undefined ? ` on "${l.value}"` : " (field absent)"))
        .join(" or ")
      out(`  ${n.name}  (${n.slug}): ${n.closeness.held}/${n.closeness.total} conditions held; fails ${failed}`)
    }
  }
}

type Case = { input: TesterInput[] } | { error: string }

function caseFromJson(value: unknown, args: Args): Case {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { error: "a case must be a JSON object with cmd or event" }
  const o = value as Record<string, unknown>
  try {
    if (typeof o.cmd === "string") {
      const fields = {
        ...args.fields,
        ...(typeof o.fields === "object" && o.fields !== null ? (o.fields as Record<string, string>) : {}),
      }
      const built = buildProcessEvents({
        cmd: o.cmd,
        ...(typeof o.parent === "string" ? { parent: o.parent } : {}),
        ...(typeof o.user === "string" ? { user: o.user } : args.user !== undefined ? { user: args.user } : {}),
        ...(typeof o.host === "string" ? { host: o.host } : args.host !== undefined ? { host: args.host } : {}),
        fields,
      })
      return { input: [{ built }] }
    }
    if (typeof o.event === "object" && o.event !== null && !Array.isArray(o.event)) {
      return { input: [{ event: { ...jsonToEvent(o.event as Parameters<typeof jsonToEvent>[0]), ...args.fields } }] }
    }
    if (typeof o.event === "string")
      return { input: parseEvents(o.event).map((e) => ({ event: { ...e, ...args.fields } })) }
    return { error: 'a case needs "cmd" (string) or "event" (object or event text)' }
  } catch (e) {
    return { error: (e as Error).message }
  }
}

function runMatch(args: Args, detections: Parameters<typeof compileCatalog>[0]): number {
  const started = performance.now()
  const compiled: CompiledCatalog = compileCatalog(detections)
  process.stderr.write(
    `atlas: compiled ${compiled.rules.length} rules in ${Math.round(performance.now() - started)} ms\n`,
  )
  const options = { threshold: args.threshold ?? DEFAULT_RISK_THRESHOLD }
  if (args.batch !== undefined) {
    const text = readFileSync(args.batch === "-" ? 0 : args.batch, "utf8")
    let errors = 0
    let n = 0
    for (const [i, line] of text.split(/\r?\n/).entries()) {
      if (line.trim() === "") continue
      n++
      let c: Case
      try {
        c = caseFromJson(JSON.parse(line), args)
      } catch (e) {
        c = { error: `line ${i + 1} is not JSON: ${(e as Error).message}` }
      }
      if ("error" in c) {
        errors++
        process.stdout.write(`${JSON.stringify({ line: i + 1, error: c.error })}\n`)
        continue
      }
      const reports = c.input.map((inp) => matchEvent(compiled, inp, { ...options, nearMisses: false }))
      const fired = reports.flatMap((r, k) => r.fired.map((f) => firedJson(f, reports.length > 1 ? k : undefined)))
      const undecided = reports.reduce((s, r) => s + r.counts.undecided, 0)
      process.stdout.write(
        `${JSON.stringify({ line: i + 1, fired, undecided, risk: reports.flatMap((r) => r.risk.totals) })}\n`,
      )
    }
    process.stderr.write(`atlas: ${n} case(s), ${errors} error(s) in ${Math.round(performance.now() - started)} ms\n`)
    return errors ? 1 : 0
  }
  let inputs: Array<{ label?: string; input: TesterInput; derived?: true }>
  const decoded: DecodedScript[] = []
  try {
    if (args.event !== undefined) {
      const text = readFileSync(args.event === "-" ? 0 : args.event, "utf8")
      const events = parseEvents(text)
      inputs = events.flatMap((e: Event, i) => {
        const event = { ...e, ...args.fields }
        const label = events.length > 1 ? `event ${i + 1}` : "the event"
        const d = deriveFromEvent(event, label)
        decoded.push(...d.decoded)
        return [
          { label, input: { event } },
          ...d.derived.map((x) => ({ label: x.label, input: x.input, derived: true as const })),
        ]
      })
    } else if (args.cmd !== undefined) {
      const p: ProcessInput = {
        cmd: args.cmd,
        ...(args.parent !== undefined ? { parent: args.parent } : {}),
        ...(args.user !== undefined ? { user: args.user } : {}),
        ...(args.host !== undefined ? { host: args.host } : {}),
        fields: args.fields,
      }
      const d = deriveFromProcess(p)
      decoded.push(...d.decoded)
      inputs = [
        { label: "the command line", input: { built: buildProcessEvents(p) } },
        ...d.derived.map((x) => ({ label: x.label, input: x.input, derived: true as const })),
      ]
    } else fail("match needs --cmd, --event or --batch")
  } catch (e) {
    process.stderr.write(`atlas: ${(e as Error).message}\n`)
    return 1
  }
  const reports = inputs.map((inp) => matchEvent(compiled, inp.input, options))
  const beside = args.spl ? inputs.map((inp) => splBeside(detections, inp.input)) : undefined
  if (args.json) {
    const all = reports.flatMap((r, k) =>
      r.fired.map((f) => {
        const b = beside?.[k]?.find((x) => x.id === f.id && f.format === "sigma")
        return {
          ...firedJson(f, reports.length > 1 ? k : undefined),
          ...(inputs[k]?.derived ? { derived: inputs[k]?.label } : {}),
          ...(b ? { spl: Object.fromEntries(Object.entries(b.spl).map(([t, v]) => [t, splJson(v)])) } : {}),
        }
      }),
    )
    process.stdout.write(`${JSON.stringify(all, null, 1)}\n`)
    return 0
  }
  for (const d of decoded) {
    if (d.script !== undefined)
      process.stdout.write(`decoded PowerShell (${d.flag}, base64 UTF-16LE):\n  ${d.script.replace(/\n/g, "\n  ")}\n\n`)
    else process.stdout.write(`${d.flag}: not an encoded script (${d.error})\n\n`)
  }
  reports.forEach((r, k) => {
    printHuman(
      r,
      reports.length > 1 ? inputs[k]?.label : undefined,
      args.near ?? NEAR_MISS_LIMIT,
      args.statuses ?? DEFAULT_STATUSES,
    )
    const b = beside?.[k]
    if (b) printBeside(b, reports.length > 1 ? inputs[k]?.label : undefined)
  })
  return 0
}

/** The Sigma rules an input reaches, each beside its SPL translations (lib/convert/beside.ts). */
function splBeside(detections: Parameters<typeof compileCatalog>[0], input: TesterInput): BesideVerdict[] {
  if ("built" in input) return translationsBeside(detections, input.built.shapes.sigma ?? {}, [PROCESS_CREATION])
  const event = sigmaEventOf(input.event)
  const sources = eventLogsources(event)
  return translationsBeside(detections, event, sources.length > 0 ? sources : undefined)
}

const splJson = (v: BesideVerdict["spl"][SplTarget]) => (typeof v === "object" ? { notTranslated: v.reason } : v)

function printBeside(verdicts: BesideVerdict[], label: string | undefined): void {
  const out = (s: string) => process.stdout.write(`${s}\n`)
  const differ = verdicts.filter((v) => v.differs.length > 0)
  out(
    `\nSPL translations${label ? ` (${label})` : ""}: ${verdicts.length} Sigma rules judged beside their translations; ${
      differ.length === 0 ? "every translation agrees with its rule" : `${differ.length} differ`
    }`,
  )
  for (const v of verdicts.filter((x) => x.sigma === true || x.differs.length > 0)) {
    const spl = SPL_TARGETS.map((t) => `${t} ${verdictText(v.spl[t])}`).join(", ")
    out(`  ${v.name}  (${v.slug}): Sigma ${verdictText(v.sigma)}; ${spl}${v.differs.length ? "  <- differs" : ""}`)
  }
}

main()

function printHunt(report: HuntReport): void {
  const out = (l: string) => process.stdout.write(`${l}\n`)
  const c = report.counts
  out(
    `${report.events} event(s); ${report.rules.length} rule(s) with hits out of ${c.rules} (${c.log} run over the whole log, ${c.event} event by event, ${c.notHunted} not hunted)`,
  )
  const l = report.limits
  out(
    `bounds: ${l.groups} groups per aggregating stage, ${l.held} rows per eventstats, ${l.eventsPerRule} event numbers listed per rule; ${c.shared} rule(s) share another's first stage; ${c.truncated} rule(s) incomplete`,
  )
  if (report.risk.entities.length) {
    out(`\nrisk per entity over the log (threshold ${report.risk.threshold}):`)
    for (const t of report.risk.entities.slice(0, 20))
      out(
        `  ${t.field}=${t.value}: ${t.score}  ${t.exceeds ? "EXCEEDS: would alert" : "below"}  (${t.rules.length} rule(s))`,
      )
  }
  if (report.rules.length) out("\nrules with hits, most hits first:")
  for (const r of report.rules) {
    const span = r.first !== undefined ? `  ${isoTime(r.first)} .. ${isoTime(r.last)}` : ""
    out(
      `  ${r.hits} hit(s)  ${r.name}  (${r.format}, ${r.mode === "log" ? "over the log" : "per event"}, ${r.eventCount} event(s))${span}`,
    )
    const ents = r.entities.slice(0, 5).map((e) => `${e.field}=${e.value}`)
    if (ents.length) out(`      entities: ${ents.join(", ")}${r.entities.length > 5 ? ", …" : ""}`)
    out(
      `      events: ${r.events.slice(0, 10).join(", ")}${r.events.length > 10 ? ", …" : ""}${r.events.length < r.eventCount ? ` (${r.events.length} of ${r.eventCount} listed)` : ""}`,
    )
    if (r.truncated) out(`      incomplete: ${r.truncated.join("; ")}`)
  }
  if (report.attack.length) {
    out("\nATT&CK techniques hit:")
    for (const t of report.attack.slice(0, 30))
      out(`  ${t.id}${t.name ? ` ${t.name}` : ""}: ${t.hits} hit(s) from ${t.rules} rule(s)`)
  }
  const reasons = new Map<string, number>()
  for (const n of report.notHunted) {
    const key = n.reason.replace(/^stage \d+: /, "").slice(0, 90)
    reasons.set(key, (reasons.get(key) ?? 0) + 1)
  }
  if (reasons.size) {
    out(`\nnot hunted (${report.notHunted.length}), most common reasons:`)
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 8)) out(`  ${n}  ${reason}`)
  }
}

function startHunt(args: Args, hunt: HuntCatalog): void {
  runHunt(args, hunt).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`atlas: ${(e as Error).message}\n`)
      process.exit(1)
    },
  )
}

async function runHunt(args: Args, catalog: HuntCatalog): Promise<number> {
  const t1 = performance.now()
  const hunter = new Hunter(catalog, { threshold: args.threshold ?? DEFAULT_RISK_THRESHOLD })
  let errors = 0
  let lastReport = performance.now()
  const progress = (final: boolean) => {
    const now = performance.now()
    if (!final && now - lastReport < 1000) return
    lastReport = now
    const rate = hunter.events / Math.max(0.001, (now - t1) / 1000)
    process.stderr.write(
      `atlas: hunt: ${hunter.events} events, ${Math.round(rate)} events/s${final ? " (done)" : ""}\n`,
    )
  }
  for (const file of args.paths) {
    await readLog(
      file,
      (e) => {
        hunter.push(e.input, e.time)
        if ((hunter.events & 1023) === 0) progress(false)
      },
      (e) => {
        errors++
        process.stderr.write(`${e.file}:${e.line}: ${e.message}\n`)
      },
    )
  }
  const report = hunter.finish()
  progress(true)
  if (args.json) process.stdout.write(`${JSON.stringify(huntJsonObject(report), null, 1)}\n`)
  else printHunt(report)
  if (errors) process.stderr.write(`atlas: hunt: ${errors} line(s) could not be read\n`)
  return errors ? 1 : 0
}
