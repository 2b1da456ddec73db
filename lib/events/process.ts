/**
 * A command line as a process-creation event: the image, its folder and its PE original file
 * name inferred from the command line, then the event in every shape of lib/events/shapes.ts.
 *
 * Owns: command-line splitting and image inference.
 * - The command line is kept verbatim (trimmed): logs record what the caller passed, not a
 *   normalised form.
 * - Image inference: the image is the first token, quoted or not; a Windows command without
 *   extension gets `.exe`; an image without a directory gets its real folder only when it is a
 *   known system binary (KNOWN_SYSTEM_DIRS: `C:\Windows\System32`, or `...\wbem`,
 *   `...\WindowsPowerShell\v1.0`), otherwise the path is just the name: guessing a folder for
 *   an arbitrary program would invent evidence that path-based rules then match on.
 * - Original file name defaults to the PE name Windows logs for known binaries
 *   (ORIGINAL_FILE_NAMES), else the basename; callers may override it.
 * Invariants: pure and synchronous; runs unchanged in Node and in a web worker.
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event } from "../predicate/types.ts"
import { EventParseError } from "./errors.ts"
import { EVENT_SHAPE_DEFS, shapeEvent } from "./shapes.ts"
import type { EventShapeId, ProcessFacts } from "./types.ts"

export type ProcessInput = {
  /** Command line as typed or as logged. */
  cmd: string
  /** Parent command line, or just the parent image. */
  parent?: string
  /** Parent image; overrides the one inferred from `parent`. */
  parentImage?: string
  user?: string
  host?: string
  /** Overrides the inferred original file name. */
  originalFileName?: string
  /** Extra fields set (last) on every shape. */
  fields?: Record<string, string>
}

export type ImageInfo = {
  /** Full path as a log would hold it (or the bare name when the folder is unknown). */
  path: string
  /** Basename, with `.exe` added when a Windows command had no extension. */
  name: string
  /** The first token as written (unquoted). */
  token: string
  /** Rest of the command line after the image token. */
  args: string
  /** True when the folder was inferred from KNOWN_SYSTEM_DIRS. */
  inferredDir: boolean
}

export type BuiltEvents = {
  image: ImageInfo
  parent?: ImageInfo
  /** The event in each shape of EVENT_SHAPE_DEFS, by shape id. */
  shapes: Record<EventShapeId, Event>
}

const SYS32 = "C:\\Windows\\System32"
/** Known Windows binaries → folder they live in. Lower-case names without extension. */
export const KNOWN_SYSTEM_DIRS: Record<string, string> = Object.fromEntries([
  ...[
    "cmd",
    "certutil",
    "rundll32",
    "regsvr32",
    "mshta",
    "schtasks",
    "net",
    "net1",
    "netsh",
    "reg",
    "sc",
    "vssadmin",
    "wevtutil",
    "winrs",
    "bitsadmin",
    "cscript",
    "wscript",
    "whoami",
    "nltest",
    "tasklist",
    "taskkill",
    "systeminfo",
    "ipconfig",
    "msiexec",
    "bcdedit",
    "wbadmin",
    "attrib",
    "icacls",
    "takeown",
    "findstr",
    "ping",
    "nslookup",
    "hostname",
    "quser",
    "query",
    "klist",
    "curl",
    "tar",
    "forfiles",
    "fsutil",
    "diskshadow",
    "esentutl",
    "expand",
    "extrac32",
    "makecab",
    "odbcconf",
    "pcalua",
    "mavinject",
    "cmstp",
    "conhost",
    "svchost",
    "lsass",
    "services",
    "winlogon",
    "userinit",
    "taskhostw",
    "wininit",
    "wsmprovhost",
    "csc",
    "route",
    "arp",
    "netstat",
    "dsquery",
    "gpresult",
    "auditpol",
    "cipher",
    "certreq",
    "wusa",
    "dism",
    "sdbinst",
    "control",
    "mmc",
    "notepad",
    "calc",
    "dllhost",
    "runonce",
    "sethc",
    "utilman",
    "osk",
    "magnify",
    "narrator",
    "atbroker",
    "qwinsta",
    "rwinsta",
    "logman",
    "wermgr",
    "werfault",
    "spoolsv",
    "ntdsutil",
    "dnscmd",
    "setspn",
    "wmiprvse",
  ].map((n) => [n, SYS32] as const),
  ["wmic", `${SYS32}\\wbem`],
  ["wmiprvse", `${SYS32}\\wbem`],
  ["powershell", `${SYS32}\\WindowsPowerShell\\v1.0`],
  ["powershell_ise", `${SYS32}\\WindowsPowerShell\\v1.0`],
  ["explorer", "C:\\Windows"],
  ["regedit", "C:\\Windows"],
  ["hh", "C:\\Windows"],
])

/** PE OriginalFileName as Sysmon logs it, for binaries whose casing differs from the file. */
export const ORIGINAL_FILE_NAMES: Record<string, string> = {
  "cmd.exe": "Cmd.Exe",
  "powershell.exe": "PowerShell.EXE",
  "certutil.exe": "CertUtil.exe",
  "rundll32.exe": "RUNDLL32.EXE",
  "regsvr32.exe": "REGSVR32.EXE",
  "mshta.exe": "MSHTA.EXE",
  "schtasks.exe": "schtasks.exe",
  "net.exe": "net.exe",
  "net1.exe": "net1.exe",
  "wmic.exe": "wmic.exe",
  "reg.exe": "reg.exe",
  "sc.exe": "sc.exe",
  "msiexec.exe": "msiexec.exe",
  "bitsadmin.exe": "bitsadmin.exe",
  "cscript.exe": "cscript.exe",
  "wscript.exe": "wscript.exe",
  "vssadmin.exe": "VSSADMIN.EXE",
  "wevtutil.exe": "wevtutil.exe",
  "winrs.exe": "winrs.exe",
  "whoami.exe": "whoami.exe",
  "nltest.exe": "nltestrk.exe",
}

const EXECUTABLE_EXT = /\.(exe|com|bat|cmd|scr|pif|msi|ps1|vbs|js|dll|cpl)$/i

/** Last path component; accepts `\` and `/` separators. */
export function basename(path: string): string {
  const i = Math.max(path.lastIndexOf("\\"), path.lastIndexOf("/"))
  return i < 0 ? path : path.slice(i + 1)
}

/** First token of a command line (quoted or not) and the rest. */
export function splitCommandLine(cmd: string): { token: string; args: string } {
  const s = cmd.trim()
  if (s.startsWith('"')) {
    const end = s.indexOf('"', 1)
    if (end < 0) return { token: s.slice(1), args: "" }
    return { token: s.slice(1, end), args: s.slice(end + 1).trim() }
  }
  // Unquoted path with spaces (`C:\Program Files\App\app.exe -x`): Windows resolves it the same way.
  const m = /^([A-Za-z]:\\[^"]*?\.(?:exe|com|bat|cmd))(?=\s|$)/i.exec(s)
  const first = /^\S*/.exec(s)?.[0] ?? ""
  if (m?.[1] && m[1].length > first.length && !EXECUTABLE_EXT.test(first))
    return { token: m[1], args: s.slice(m[1].length).trim() }
  return { token: first, args: s.slice(first.length).trim() }
}

/** Infers image path, name and folder from the first token of a command line. */
export function inferImage(cmd: string): ImageInfo {
  const { token, args } = splitCommandLine(cmd)
  const unix = token.startsWith("/") || token.startsWith("./") || token.startsWith("~/")
  let name = basename(token)
  let path = token
  if (!unix && name !== "" && !name.includes(".")) {
    name = `${name}.exe`
    path = `${token}.exe`
  }
  let inferredDir = false
  if (!unix && path === name && name !== "") {
    const dir = KNOWN_SYSTEM_DIRS[name.replace(/\.exe$/i, "").toLowerCase()]
    if (dir && /\.exe$/i.test(name)) {
      path = `${dir}\\${name}`
      inferredDir = true
    }
  }
  return { path, name, token, args, inferredDir }
}

export function defaultOriginalFileName(name: string): string {
  return ORIGINAL_FILE_NAMES[name.toLowerCase()] ?? name
}

/** The format-neutral facts of a process-creation input (see ProcessFacts). */
export function processFacts(input: ProcessInput): { image: ImageInfo; parent?: ImageInfo; facts: ProcessFacts } {
  const cmd = input.cmd.trim()
  if (cmd === "") throw new EventParseError("the command line is empty")
  const image = inferImage(cmd)
  const parentText = input.parent?.trim() || undefined
  const parentImageText = input.parentImage?.trim() || undefined
  const parent = parentImageText
    ? inferImage(parentImageText.includes('"') ? parentImageText : `"${parentImageText}"`)
    : parentText
      ? inferImage(parentText)
      : undefined
  const facts: ProcessFacts = {
    commandLine: cmd,
    image: image.path,
    imageName: image.name,
    originalFileName: input.originalFileName ?? defaultOriginalFileName(image.name),
  }
  const parentCommandLine = parentText ?? parent?.path
  if (parentCommandLine !== undefined) facts.parentCommandLine = parentCommandLine
  if (parent) {
    facts.parentImage = parent.path
    facts.parentImageName = parent.name
  }
  if (input.user !== undefined) facts.user = input.user
  if (input.host !== undefined) facts.host = input.host
  return parent ? { image, parent, facts } : { image, facts }
}

/** A command line (and optional parent, user, host) as a process-creation event in each shape. */
export function buildProcessEvents(input: ProcessInput): BuiltEvents {
  const { image, parent, facts } = processFacts(input)
  const shapes: Record<EventShapeId, Event> = {}
  for (const def of EVENT_SHAPE_DEFS) shapes[def.id] = shapeEvent(def, facts)
  for (const e of Object.values(shapes)) for (const [k, v] of Object.entries(input.fields ?? {})) e[k] = v
  return parent ? { image, parent, shapes } : { image, shapes }
}
