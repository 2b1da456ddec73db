/**
 * The ECS process-start event the tester and the CLI build from a command line, for Elastic rules.
 *
 * Owns: Windows command-line splitting (the CommandLineToArgvW rules, which is how Elastic Defend
 * and the Sysmon / 4688 ingest pipelines fill `process.args`), and the ECS row of the shape table.
 *
 * Invariants:
 * - Only fields a real process-start event would hold are set; anything not known stays absent,
 *   so `!=` / `not` tests on it hold and positive tests on it fail, as they would in Elastic.
 * - `process.args[0]` is the program as typed; `process.name` its basename (with `.exe` added
 *   to a Windows command typed without extension, as the image inference elsewhere does).
 *
 * Never imports: React, Next, Node built-ins.
 */
import type { Event, EventValue } from "../predicate/types.ts"
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

const isUnixPath = (p: string): boolean => p.startsWith("/") || p.startsWith("./") || p.startsWith("~/")
const hasDir = (p: string | undefined): p is string => p !== undefined && (p.includes("\\") || p.includes("/"))
const osOf = (f: ProcessFacts): "windows" | "linux" => (isUnixPath(f.image) ? "linux" : "windows")
const argvOf = (f: ProcessFacts, cmd: string): string[] => (osOf(f) === "windows" ? windowsArgv(cmd) : unixArgv(cmd))
const parentArgv = (f: ProcessFacts): string[] | undefined =>
  f.parentCommandLine ? argvOf(f, f.parentCommandLine) : undefined

/** ECS field ← process fact, copied when the fact has a value. */
const ECS_MAP: ReadonlyArray<readonly [field: string, fact: keyof ProcessFacts]> = [
  ["process.command_line", "commandLine"],
  ["process.name", "imageName"],
  ["process.parent.command_line", "parentCommandLine"],
  ["process.parent.name", "parentImageName"],
  ["user.name", "user"],
  ["host.name", "host"],
]

/** ECS fields computed from the facts (undefined leaves the field out). */
const ECS_DERIVED: ReadonlyArray<readonly [field: string, value: (facts: ProcessFacts) => EventValue]> = [
  ["event.category", () => ["process"]],
  ["event.type", () => ["start"]],
  ["event.action", () => "start"],
  ["event.kind", () => "event"],
  ["host.os.type", osOf],
  ["process.args", (f) => argvOf(f, f.commandLine)],
  ["process.args_count", (f) => argvOf(f, f.commandLine).length],
  ["process.executable", (f) => (hasDir(f.image) ? f.image : undefined)],
  ["process.pe.original_file_name", (f) => (osOf(f) === "windows" ? f.originalFileName : undefined)],
  ["process.parent.executable", (f) => (hasDir(f.parentImage) ? f.parentImage : undefined)],
  ["process.parent.args", parentArgv],
  ["process.parent.args_count", (f) => parentArgv(f)?.length],
]

/**
 * The ECS row of the shape table (lib/events/shapes.ts): the process start Elastic Defend logs,
 * and the Sysmon and 4688 ingest pipelines of Elastic's integrations produce, in ECS names.
 * Full paths only where the facts know one; the PE original file name on Windows only.
 */
export const ECS_SHAPE: EventShapeDef = {
  id: "ecs",
  label: "ECS process start",
  fields: [...ECS_MAP.map(([f]) => f), ...ECS_DERIVED.map(([f]) => f)],
  build: (facts) => {
    const e: Event = {}
    for (const [field, fact] of ECS_MAP) {
      const v = facts[fact]
      if (typeof v === "string" && v !== "") e[field] = v
    }
    for (const [field, value] of ECS_DERIVED) {
      const v = value(facts)
      if (v !== undefined && v !== "") e[field] = v
    }
    for (const [k, v] of Object.entries(facts.fields ?? {})) e[k] = v
    return e
  },
}

/** Fields every built ECS process start carries with the same value: they say nothing about closeness. */
export const ECS_CONSTANT_FIELDS: readonly string[] = [
  "event.category",
  "event.type",
  "event.action",
  "event.kind",
  "host.os.type",
]

/** Whether a flat pasted event is ECS-shaped (dotted ECS names rather than Windows or CIM ones). */
export function looksLikeEcs(e: Event): boolean {
  return Object.keys(e).some((k) => k.startsWith("process.") || k.startsWith("event.") || k.startsWith("host.os."))
}
