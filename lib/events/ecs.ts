/**
 * The ECS process-start event the tester and the CLI build from a command line, for Elastic rules.
 *
 * Owns: Windows command-line splitting (the CommandLineToArgvW rules, which is how Elastic Defend
 * and the Sysmon / 4688 ingest pipelines fill `process.args`), and the table of ECS fields a
 * process start carries.
 *
 * Invariants:
 * - Only fields a real process-start event would hold are set; anything not known stays absent,
 *   so `!=` / `not` tests on it hold and positive tests on it fail, as they would in Elastic.
 * - `process.args[0]` is the program as typed; `process.name` its basename (with `.exe` added
 *   to a Windows command typed without extension, as the image inference elsewhere does).
 *
 * Never imports: React, Next, Node built-ins.
 */
import type { Event } from "../predicate/types.ts"
import type { EventShapeDef, ProcessFacts } from "./types.ts"

/** Split a Windows command line into arguments the way CommandLineToArgvW does. */
export function windowsArgv(cmd: string): string[] {
  const s = cmd.trim()
  const out: string[] = []
  if (s === "") return out
  // The program name: up to the first whitespace, or the closing quote; no escapes.
  let i = 0
  let prog = ""
  if (s[0] === '"') {
    const end = s.indexOf('"', 1)
    prog = end < 0 ? s.slice(1) : s.slice(1, end)
    i = end < 0 ? s.length : end + 1
  } else {
    while (i < s.length && !/\s/.test(s[i]!)) prog += s[i++]
  }
  out.push(prog)
  for (;;) {
    while (i < s.length && /\s/.test(s[i]!)) i++
    if (i >= s.length) break
    let arg = ""
    let quoted = false
    while (i < s.length && (quoted || !/\s/.test(s[i]!))) {
      if (s[i] === "\\") {
        let n = 0
        while (s[i] === "\\") {
          n++
          i++
        }
        if (s[i] === '"') {
          arg += "\\".repeat(Math.floor(n / 2))
          if (n % 2 === 1) {
            arg += '"'
            i++
          }
        } else arg += "\\".repeat(n)
        continue
      }
      if (s[i] === '"') {
        // `""` inside quotes is a literal quote.
        if (quoted && s[i + 1] === '"') {
          arg += '"'
          i += 2
          continue
        }
        quoted = !quoted
        i++
        continue
      }
      arg += s[i++]
    }
    out.push(arg)
  }
  return out
}

/** A Unix command line: split on whitespace, honouring simple quotes. */
function unixArgv(cmd: string): string[] {
  const out: string[] = []
  for (const m of cmd.trim().matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? "")
  return out
}

export type EcsProcess = {
  /** Command line as typed. */
  commandLine: string
  /** Full path when known (else absent). */
  executable?: string
  name: string
  originalFileName?: string
}

export type EcsProcessInput = {
  process: EcsProcess
  parent?: EcsProcess
  user?: string
  host?: string
  os: "windows" | "linux" | "macos"
}

/**
 * The ECS fields of a process start, as a data table: field → where its value comes from.
 * The tester's field list and the CLI read it, so adding a field is one row.
 */
export const ECS_PROCESS_FIELDS: ReadonlyArray<readonly [string, (i: EcsProcessInput, argv: string[], pargv: string[]) => Event[string]]> = [
  ["event.category", () => ["process"]],
  ["event.type", () => ["start"]],
  ["event.action", () => "start"],
  ["event.kind", () => "event"],
  ["host.os.type", (i) => i.os],
  ["host.name", (i) => i.host],
  ["user.name", (i) => i.user],
  ["process.command_line", (i) => i.process.commandLine],
  ["process.args", (_i, argv) => argv],
  ["process.args_count", (_i, argv) => argv.length],
  ["process.name", (i) => i.process.name],
  ["process.executable", (i) => i.process.executable],
  ["process.pe.original_file_name", (i) => i.process.originalFileName],
  ["process.parent.command_line", (i) => i.parent?.commandLine],
  ["process.parent.args", (_i, _a, pargv) => (pargv.length ? pargv : undefined)],
  ["process.parent.args_count", (_i, _a, pargv) => (pargv.length ? pargv.length : undefined)],
  ["process.parent.name", (i) => i.parent?.name],
  ["process.parent.executable", (i) => i.parent?.executable],
]

/** The ECS process-start event (flat, dotted field names) for a command line. */
export function buildEcsProcessEvent(input: EcsProcessInput): Event {
  const split = input.os === "windows" ? windowsArgv : unixArgv
  const argv = split(input.process.commandLine)
  const pargv = input.parent ? split(input.parent.commandLine) : []
  const e: Event = {}
  for (const [field, value] of ECS_PROCESS_FIELDS) {
    const v = value(input, argv, pargv)
    if (v !== undefined && v !== "") e[field] = v
  }
  return e
}

/** Whether a flat pasted event is ECS-shaped (dotted ECS names rather than Windows or CIM ones). */
export function looksLikeEcs(e: Event): boolean {
  return Object.keys(e).some((k) => k.startsWith("process.") || k.startsWith("event.") || k.startsWith("host.os."))
}

const isUnixPath = (p: string): boolean => p.startsWith("/") || p.startsWith("./") || p.startsWith("~/")
const hasDir = (p: string): boolean => p.includes("\\") || p.includes("/")

/** Fields every built ECS process start carries with the same value: they say nothing about closeness. */
export const ECS_CONSTANT_FIELDS: readonly string[] = ["event.category", "event.type", "event.action", "event.kind", "host.os.type"]

/** The format-neutral process facts as the ECS input: full paths only where the facts know one. */
export function ecsInputOf(facts: ProcessFacts): EcsProcessInput {
  const os = isUnixPath(facts.image) ? "linux" : "windows"
  const input: EcsProcessInput = {
    os,
    process: {
      commandLine: facts.commandLine,
      name: facts.imageName,
      ...(hasDir(facts.image) ? { executable: facts.image } : {}),
      ...(os === "windows" && facts.originalFileName ? { originalFileName: facts.originalFileName } : {}),
    },
  }
  if (facts.parentImage || facts.parentCommandLine) {
    const image = facts.parentImage ?? facts.parentCommandLine ?? ""
    input.parent = {
      commandLine: facts.parentCommandLine ?? image,
      name: facts.parentImageName ?? image,
      ...(hasDir(image) ? { executable: image } : {}),
    }
  }
  if (facts.user) input.user = facts.user
  if (facts.host) input.host = facts.host
  return input
}

/** The ECS row of the tester's shape table. */
export const ECS_SHAPE: EventShapeDef = {
  id: "ecs",
  label: "ECS process start (Elastic Defend, Sysmon and 4688 through the Elastic integrations)",
  fields: ECS_PROCESS_FIELDS.map(([f]) => f),
  build: (facts) => {
    const e = buildEcsProcessEvent(ecsInputOf(facts))
    for (const [k, v] of Object.entries(facts.fields ?? {})) e[k] = v
    return e
  },
}
