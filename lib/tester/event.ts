/**
 * Tester input → events: builds a process-creation event from a command line in every shape the
 * catalog's rules read (CIM Endpoint.Processes, Sysmon EventID 1, Security 4688), and reads
 * pasted events (flat JSON, evtx-dumper JSON, Windows event XML) into flat events.
 *
 * Owns: command-line splitting and image inference, the raw → CIM field mapping of spec
 * splunk.md §3.1, and the tolerant JSON/XML readers for pasted text.
 *
 * Invariants:
 * - Pure and synchronous; runs unchanged in Node and in a web worker.
 * - The command line is kept verbatim (trimmed) as CommandLine / process: logs record what the
 *   caller passed, not a normalised form.
 * - Image inference (decision): the image is the first token, quoted or not; a Windows command
 *   without extension gets `.exe`; an image without a directory gets its real folder only when it
 *   is a known system binary (KNOWN_SYSTEM_DIRS: `C:\Windows\System32`, or `...\wbem`,
 *   `...\WindowsPowerShell\v1.0`), otherwise the path is just the name — guessing a folder for
 *   an arbitrary program would invent evidence that path-based rules then match on.
 * - Original file name defaults to the PE name Windows logs for known binaries
 *   (ORIGINAL_FILE_NAMES), else the basename; callers may override it.
 * - Derived CIM fields never overwrite a field the pasted event already carries.
 * - Parse errors are `EventParseError` with a message naming what could not be read and, when
 *   known, the character offset.
 *
 * Must never import: React, Next, Node built-ins, DOM APIs (no DOMParser).
 */
import { ECS_SHAPE } from "../events/ecs.ts"
import type { Event, EventValue } from "../predicate/types.ts"

/**
 * The shapes a built process event takes: CIM Endpoint.Processes, Sysmon EventID 1 and Security
 * 4688 as Splunk indexes them (SPL rules), and Sysmon EventID 1 in Sigma's field names with its
 * Channel and provider (Sigma process_creation rules).
 */
export type EventShape = "cim" | "sysmon" | "security4688" | "sigma" | "ecs"
export const EVENT_SHAPES: readonly EventShape[] = ["cim", "sysmon", "security4688", "sigma", "ecs"]
/** The shapes SPL rules choose from (see ruleShapes in match.ts). */
export const SPL_SHAPES: readonly EventShape[] = ["cim", "sysmon", "security4688"]
export const SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational"

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
  shapes: Record<EventShape, Event>
}

export class EventParseError extends Error {
  /** Character offset in the text read. */
  readonly position: number | undefined
  /** 1-based line and column of `position`, once known (parseEvents adds them). */
  readonly line: number | undefined
  readonly column: number | undefined
  constructor(message: string, position?: number, at?: { line: number; column: number }) {
    super(position === undefined ? message : at ? `${message} (line ${at.line}, column ${at.column})` : `${message} (at character ${position})`)
    this.name = "EventParseError"
    this.position = position
    this.line = at?.line
    this.column = at?.column
  }
}

const SYS32 = "C:\\Windows\\System32"
/** Known Windows binaries → folder they live in. Lower-case names without extension. */
export const KNOWN_SYSTEM_DIRS: Record<string, string> = Object.fromEntries([
  ...[
    "cmd", "certutil", "rundll32", "regsvr32", "mshta", "schtasks", "net", "net1", "netsh", "reg", "sc", "vssadmin",
    "wevtutil", "winrs", "bitsadmin", "cscript", "wscript", "whoami", "nltest", "tasklist", "taskkill", "systeminfo",
    "ipconfig", "msiexec", "bcdedit", "wbadmin", "attrib", "icacls", "takeown", "findstr", "ping", "nslookup",
    "hostname", "quser", "query", "klist", "curl", "tar", "forfiles", "fsutil", "diskshadow", "esentutl", "expand",
    "extrac32", "makecab", "odbcconf", "pcalua", "mavinject", "cmstp", "conhost", "svchost", "lsass", "services",
    "winlogon", "userinit", "taskhostw", "wininit", "wsmprovhost", "csc", "route", "arp", "netstat", "dsquery",
    "gpresult", "auditpol", "cipher", "certreq", "wusa", "dism", "sdbinst", "control", "mmc", "notepad", "calc",
    "dllhost", "runonce", "sethc", "utilman", "osk", "magnify", "narrator", "atbroker", "qwinsta", "rwinsta",
    "logman", "wermgr", "werfault", "spoolsv", "ntdsutil", "dnscmd", "setspn", "wmiprvse",
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
  if (m?.[1] && m[1].length > first.length && !EXECUTABLE_EXT.test(first)) return { token: m[1], args: s.slice(m[1].length).trim() }
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

/** A command line (and optional parent, user, host) as a process-creation event in each shape. */
export function buildProcessEvents(input: ProcessInput): BuiltEvents {
  const cmd = input.cmd.trim()
  if (cmd === "") throw new EventParseError("the command line is empty")
  const image = inferImage(cmd)
  const parentText = input.parent?.trim() || undefined
  const parentImageText = input.parentImage?.trim() || undefined
  const parent = parentImageText ? inferImage(parentImageText.includes('"') ? parentImageText : `"${parentImageText}"`) : parentText ? inferImage(parentText) : undefined
  const ofn = input.originalFileName ?? defaultOriginalFileName(image.name)
  const set = (e: Event, k: string, v: EventValue) => {
    if (v !== undefined && v !== "") e[k] = v
  }
  const cim: Event = {}
  set(cim, "process", cmd)
  set(cim, "process_name", image.name)
  set(cim, "original_file_name", ofn)
  set(cim, "process_path", image.path)
  set(cim, "process_exec", image.name)
  set(cim, "parent_process", parentText ?? parent?.path)
  set(cim, "parent_process_name", parent?.name)
  set(cim, "parent_process_path", parent?.path)
  set(cim, "parent_process_exec", parent?.name)
  set(cim, "user", input.user)
  set(cim, "dest", input.host)
  cim.action = "allowed"
  cim.vendor_product = "Microsoft Sysmon"

  const sysmon: Event = {}
  set(sysmon, "CommandLine", cmd)
  set(sysmon, "Image", image.path)
  set(sysmon, "OriginalFileName", ofn)
  set(sysmon, "ParentImage", parent?.path)
  set(sysmon, "ParentCommandLine", parentText ?? parent?.path)
  set(sysmon, "User", input.user)
  set(sysmon, "Computer", input.host)
  sysmon.EventCode = "1"
  sysmon.EventID = "1"
  sysmon.source = "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational"
  sysmon.sourcetype = "xmlwineventlog"

  const sec: Event = {}
  set(sec, "NewProcessName", image.path)
  set(sec, "Process_Command_Line", cmd)
  set(sec, "CommandLine", cmd)
  set(sec, "ParentProcessName", parent?.path)
  set(sec, "SubjectUserName", input.user)
  set(sec, "Computer", input.host)
  sec.EventCode = "4688"
  sec.EventID = "4688"
  sec.source = "XmlWinEventLog:Security"
  sec.sourcetype = "xmlwineventlog"

  const sigma: Event = {}
  for (const k of ["CommandLine", "Image", "OriginalFileName", "ParentImage", "ParentCommandLine", "User", "Computer"]) if (sysmon[k] !== undefined) sigma[k] = sysmon[k]
  sigma.EventID = 1
  sigma.Channel = SYSMON_CHANNEL
  sigma.Provider_Name = "Microsoft-Windows-Sysmon"

  const ecs = ECS_SHAPE.build({
    commandLine: cmd,
    image: image.path,
    imageName: image.name,
    args: [],
    originalFileName: ofn,
    ...(parentText ?? parent?.path ? { parentCommandLine: parentText ?? parent?.path } : {}),
    ...(parent ? { parentImage: parent.path, parentImageName: parent.name } : {}),
    ...(input.user ? { user: input.user } : {}),
    ...(input.host ? { host: input.host } : {}),
  })

  const shapes: Record<EventShape, Event> = { cim, sysmon, security4688: sec, sigma, ecs }
  for (const e of Object.values(shapes)) for (const [k, v] of Object.entries(input.fields ?? {})) e[k] = v
  return parent ? { image, parent, shapes } : { image, shapes }
}

// ---------------------------------------------------------------------------------------------
// Raw Windows events → CIM fields

const str = (v: EventValue): string | undefined => (v === null || v === undefined ? undefined : Array.isArray(v) ? v[0] : String(v))

/** Which Windows process-creation event a flat event is, if any. */
export function windowsKind(e: Event): "sysmon" | "security4688" | undefined {
  const id = str(e.EventCode) ?? str(e.EventID)
  const origin = `${str(e.Channel) ?? ""} ${str(e.ProviderName) ?? ""} ${str(e.source) ?? ""}`
  if (id === "1" && (/sysmon/i.test(origin) || e.Image !== undefined)) return "sysmon"
  if (id === "4688") return "security4688"
  return undefined
}

/** Adds the CIM Endpoint.Processes fields of a Sysmon 1 / 4688 event (spec §3.1); other events unchanged. */
export function withCimFields(e: Event): Event {
  const kind = windowsKind(e)
  if (!kind) return e
  const out: Event = { ...e }
  const put = (k: string, v: EventValue) => {
    if (v !== undefined && v !== null && v !== "" && (out[k] === undefined || out[k] === null)) out[k] = v
  }
  if (out.EventCode === undefined && out.EventID !== undefined) out.EventCode = out.EventID
  const image = str(kind === "sysmon" ? e.Image : e.NewProcessName)
  const parentImage = str(kind === "sysmon" ? e.ParentImage : e.ParentProcessName)
  const cmd = str(kind === "sysmon" ? e.CommandLine : (e.Process_Command_Line ?? e.CommandLine))
  if (kind === "security4688") {
    put("Process_Command_Line", cmd)
    put("CommandLine", cmd)
  }
  put("process", cmd)
  put("process_path", image)
  put("process_name", image && basename(image))
  put("process_exec", image && basename(image))
  put("parent_process_path", parentImage)
  put("parent_process_name", parentImage && basename(parentImage))
  put("parent_process_exec", parentImage && basename(parentImage))
  put("dest", e.Computer)
  put("action", "allowed")
  if (kind === "sysmon") {
    put("original_file_name", e.OriginalFileName)
    put("parent_process", e.ParentCommandLine)
    put("process_id", e.ProcessId)
    put("process_guid", e.ProcessGuid)
    put("parent_process_id", e.ParentProcessId)
    put("parent_process_guid", e.ParentProcessGuid)
    put("user", e.User)
    put("process_integrity_level", e.IntegrityLevel)
    put("process_hash", e.Hashes)
    put("process_current_directory", e.CurrentDirectory)
    put("vendor_product", "Microsoft Sysmon")
  } else {
    put("process_id", e.NewProcessId)
    put("parent_process_id", e.ProcessId)
    const u = str(e.SubjectUserName)
    put("user", u ? (str(e.SubjectDomainName) ? `${str(e.SubjectDomainName)}\\${u}` : u) : e.SubjectUserSid)
    put("vendor_product", "Microsoft Windows")
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Pasted text → flat events

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
const isObj = (v: Json | undefined): v is { [k: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v)

/** Splits concatenated JSON values (`{..}{..}`, JSONL, or one array) and parses each, with where it starts. */
function parseJsonValues(text: string): Array<{ value: Json; start: number }> {
  const out: Array<{ value: Json; start: number }> = []
  let i = 0
  const n = text.length
  while (i < n) {
    while (i < n && /\s|,/.test(text[i] ?? "")) i++
    if (i >= n) break
    const start = i
    const open = text[i]
    if (open !== "{" && open !== "[") throw new EventParseError(`expected a JSON object, found "${text.slice(i, i + 20)}"`, i)
    let depth = 0
    let inStr = false
    for (; i < n; i++) {
      const c = text[i]
      if (inStr) {
        if (c === "\\") i++
        else if (c === '"') inStr = false
      } else if (c === '"') inStr = true
      else if (c === "{" || c === "[") {
        if (++depth > MAX_DEPTH) throw new EventParseError(`the JSON nests deeper than ${MAX_DEPTH} levels`, i)
      } else if (c === "}" || c === "]") {
        depth--
        if (depth === 0) {
          i++
          break
        }
      }
    }
    if (depth !== 0) throw new EventParseError(`unterminated JSON ${open === "{" ? "object" : "array"}: missing closing bracket`, start)
    const chunk = text.slice(start, i)
    try {
      out.push({ value: JSON.parse(chunk) as Json, start })
    } catch (e) {
      const msg = (e as Error).message
      const pos = /position (\d+)/.exec(msg)?.[1]
      throw new EventParseError(`invalid JSON: ${msg.replace(/\s*(in JSON )?at position \d+.*$/, "")}`, pos === undefined ? start : start + Number(pos))
    }
  }
  return out
}

const scalar = (v: Json): EventValue => (v === null ? undefined : typeof v === "object" ? JSON.stringify(v) : typeof v === "boolean" ? String(v) : v)

/** Text of a JSON node as dumpers write it: a scalar, or `{"#text": ...}`. */
function textOf(v: Json | undefined): EventValue {
  if (v === undefined || v === null) return undefined
  if (isObj(v)) return "#text" in v ? textOf(v["#text"]) : "#value" in v ? textOf(v["#value"]) : undefined
  if (Array.isArray(v)) return v.map((x) => String(scalar(x) ?? ""))
  return scalar(v)
}

function attr(v: Json | undefined, name: string): EventValue {
  if (!isObj(v)) return undefined
  const a = v["#attributes"]
  if (isObj(a) && a[name] !== undefined) return scalar(a[name] ?? null)
  if (v[`@${name}`] !== undefined) return scalar(v[`@${name}`] ?? null)
  if (v[`_${name}`] !== undefined) return scalar(v[`_${name}`] ?? null)
  return undefined
}

function flattenSystem(sys: { [k: string]: Json }, out: Event): void {
  const id = textOf(sys.EventID)
  if (id !== undefined) {
    out.EventID = String(id)
    out.EventCode = String(id)
  }
  for (const k of ["Channel", "Computer", "EventRecordID", "Level", "Task", "Opcode", "Keywords", "Version"]) {
    const v = textOf(sys[k])
    if (v !== undefined) out[k] = typeof v === "number" ? String(v) : v
  }
  const provider = attr(sys.Provider, "Name")
  if (provider !== undefined) out.ProviderName = provider
  const time = attr(sys.TimeCreated, "SystemTime")
  if (time !== undefined) out.SystemTime = time
  const uid = attr(sys.Security, "UserID")
  if (uid !== undefined) out.UserID = uid
}

function flattenEventData(data: Json | undefined, out: Event): void {
  if (!isObj(data)) return
  const items = data.Data
  if (items !== undefined && (Array.isArray(items) || isObj(items))) {
    const unnamed: string[] = []
    for (const d of Array.isArray(items) ? items : [items]) {
      const name = attr(d, "Name")
      const val = isObj(d) ? textOf(d) : scalar(d)
      if (name !== undefined) {
        if (val !== undefined) out[String(name)] = val
      } else if (val !== undefined) unnamed.push(String(val))
    }
    if (unnamed.length) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed
    return
  }
  for (const [k, v] of Object.entries(data)) {
    if (k.startsWith("#") || k.startsWith("@")) continue
    const val = isObj(v) ? textOf(v) : textOf(v)
    if (val !== undefined) out[k] = val
  }
}

/** Deeper objects are refused: no real event nests this far, and recursion must stay bounded. */
const MAX_DEPTH = 64

function flatten(obj: { [k: string]: Json }, prefix: string, out: Event, depth = 0): void {
  if (depth > MAX_DEPTH) throw new EventParseError(`the JSON nests objects deeper than ${MAX_DEPTH} levels`)
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (isObj(v)) flatten(v, key, out, depth + 1)
    else if (Array.isArray(v)) out[key] = v.map((x) => (isObj(x) || Array.isArray(x) ? JSON.stringify(x) : String(scalar(x) ?? "")))
    else {
      const s = scalar(v)
      if (s !== undefined) out[key] = s
    }
  }
}

/** One parsed JSON object → a flat event (Windows event JSON unwrapped, CIM fields derived). */
export function jsonToEvent(obj: { [k: string]: Json }): Event {
  const ev = isObj(obj.Event) ? obj.Event : isObj(obj.System) || isObj(obj.EventData) ? obj : undefined
  const out: Event = {}
  if (ev) {
    if (isObj(ev.System)) flattenSystem(ev.System, out)
    flattenEventData(ev.EventData, out)
    flattenEventData(ev.UserData, out)
  } else flatten(obj, "", out)
  return withCimFields(out)
}

// Tiny tolerant XML reader ---------------------------------------------------------------------

export type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string; start: number }

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }
/**
 * Replaces XML character and entity references; `base` is where `s` starts in the pasted text, so
 * a bad reference (a code point XML does not allow, an entity XML does not define) is reported
 * where it is. A bare `&` is kept as written: hand-edited logs have them.
 */
function decodeEntities(s: string, base: number): string {
  if (!s.includes("&")) return s
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z][\w.-]*);/g, (m, e: string, at: number) => {
    if (e.startsWith("#")) {
      const hex = e.startsWith("#x")
      const digits = e.slice(hex ? 2 : 1)
      const cp = digits.length > 8 ? Number.POSITIVE_INFINITY : parseInt(digits, hex ? 16 : 10)
      // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
      const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
      if (!ok) throw new EventParseError(`character reference ${m} is not a character XML allows`, base + at)
      return String.fromCodePoint(cp)
    }
    const v = ENTITIES[e]
    if (v === undefined) throw new EventParseError(`entity ${m} is not defined (XML defines &lt; &gt; &amp; &quot; &apos;)`, base + at)
    return v
  })
}
const local = (name: string): string => name.slice(name.indexOf(":") + 1)

/** Parses XML text into element trees (several top-level elements allowed). */
export function parseXml(text: string): XmlNode[] {
  const roots: XmlNode[] = []
  const stack: XmlNode[] = []
  let i = 0
  const n = text.length
  const addText = (t: string) => {
    const top = stack[stack.length - 1]
    if (top) top.text += t
    else if (t.trim() !== "") throw new EventParseError(`text outside any element: "${t.trim().slice(0, 20)}"`, i)
  }
  while (i < n) {
    const lt = text.indexOf("<", i)
    if (lt < 0) {
      addText(decodeEntities(text.slice(i), i))
      break
    }
    if (lt > i) addText(decodeEntities(text.slice(i, lt), i))
    i = lt
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4)
      if (end < 0) throw new EventParseError("unterminated XML comment", i)
      i = end + 3
    } else if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9)
      if (end < 0) throw new EventParseError("unterminated CDATA section", i)
      addText(text.slice(i + 9, end))
      i = end + 3
    } else if (text.startsWith("<?", i) || text.startsWith("<!", i)) {
      const end = text.indexOf(">", i)
      if (end < 0) throw new EventParseError("unterminated XML declaration", i)
      i = end + 1
    } else if (text.startsWith("</", i)) {
      const end = text.indexOf(">", i)
      if (end < 0) throw new EventParseError("unterminated closing tag", i)
      const name = local(text.slice(i + 2, end).trim())
      const top = stack.pop()
      if (!top) throw new EventParseError(`closing tag </${name}> without an opening tag`, i)
      if (top.name !== name) throw new EventParseError(`closing tag </${name}> does not match <${top.name}> opened at character ${top.start}`, i)
      i = end + 1
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i, i + 4096))
      if (!m?.[1]) throw new EventParseError(`malformed XML tag "${text.slice(i, i + 30).split("\n")[0] ?? ""}"`, i)
      const attrs: Record<string, string> = {}
      const attrsAt = i + 1 + m[1].length
      for (const a of (m[2] ?? "").matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const value = a[2] ?? a[3] ?? ""
        // The value ends one character (its closing quote) before the match does.
        if (a[1]) attrs[local(a[1])] = decodeEntities(value, attrsAt + a.index + a[0].length - 1 - value.length)
      }
      const node: XmlNode = { name: local(m[1]), attrs, children: [], text: "", start: i }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(node)
      else roots.push(node)
      if (m[3] !== "/") {
        if (stack.length >= MAX_DEPTH) throw new EventParseError(`the XML nests elements deeper than ${MAX_DEPTH} levels`, i)
        stack.push(node)
      }
      i += m[0].length
    }
  }
  const open = stack[stack.length - 1]
  if (open) throw new EventParseError(`element <${open.name}> is never closed`, open.start)
  return roots
}

const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name)

function xmlEventToEvent(ev: XmlNode): Event {
  const out: Event = {}
  const sys = child(ev, "System")
  if (sys) {
    for (const c of sys.children) {
      if (c.name === "EventID") {
        out.EventID = c.text.trim()
        out.EventCode = c.text.trim()
      } else if (c.name === "Provider" && c.attrs.Name !== undefined) out.ProviderName = c.attrs.Name
      else if (c.name === "TimeCreated" && c.attrs.SystemTime !== undefined) out.SystemTime = c.attrs.SystemTime
      else if (c.name === "Security" && c.attrs.UserID !== undefined) out.UserID = c.attrs.UserID
      else if (c.children.length === 0 && c.text.trim() !== "") out[c.name] = c.text.trim()
    }
  }
  const unnamed: string[] = []
  for (const section of ["EventData", "UserData"]) {
    const data = child(ev, section)
    if (!data) continue
    for (const d of data.children) {
      if (d.name === "Data" && d.attrs.Name !== undefined) out[d.attrs.Name] = d.text
      else if (d.name === "Data") unnamed.push(d.text)
      else if (d.children.length) for (const g of d.children) out[g.name] = g.text
      else out[d.name] = d.text
    }
  }
  if (unnamed.length) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed
  return withCimFields(out)
}

function findEvents(nodes: XmlNode[]): XmlNode[] {
  const out: XmlNode[] = []
  for (const n of nodes) {
    if (n.name === "Event") out.push(n)
    else out.push(...findEvents(n.children))
  }
  return out
}

/**
 * Reads pasted text as events: XML (`<Event>`…, several allowed) or JSON (flat objects, evtx
 * dumper `{"Event": {...}}` objects, concatenated, JSONL or an array). Throws EventParseError.
 */
export function parseEvents(text: string): Event[] {
  try {
    return readEvents(text)
  } catch (e) {
    if (e instanceof EventParseError) throw located(text, e)
    throw e
  }
}

/** The error with its line and column in the pasted text (1-based) beside the character offset. */
function located(text: string, e: EventParseError): EventParseError {
  if (e.position === undefined || e.line !== undefined) return e
  const before = text.slice(0, e.position)
  const line = before.split("\n").length
  const column = e.position - before.lastIndexOf("\n")
  return new EventParseError(e.message.replace(/ \(at character \d+\)$/, ""), e.position, { line, column })
}

function readEvents(text: string): Event[] {
  const t = text.trim()
  if (t === "") throw new EventParseError("the event text is empty", 0)
  const offset = text.indexOf(t[0] ?? "")
  if (t.startsWith("<")) {
    let roots: XmlNode[]
    try {
      roots = parseXml(text)
    } catch (e) {
      if (e instanceof EventParseError) throw new EventParseError(`could not read the XML: ${e.message.replace(/ \(at character \d+\)$/, "")}`, e.position)
      throw e
    }
    const events = findEvents(roots)
    if (events.length === 0) throw new EventParseError("the XML holds no <Event> element", offset)
    return events.map(xmlEventToEvent)
  }
  if (!t.startsWith("{") && !t.startsWith("[")) {
    throw new EventParseError("expected a JSON object ({...}) or a Windows event in XML (<Event>...)", offset)
  }
  const values = parseJsonValues(text)
  const objs: Array<{ obj: { [k: string]: Json }; start: number }> = []
  for (const { value, start } of values) {
    for (const o of Array.isArray(value) ? value : [value]) {
      if (!isObj(o)) throw new EventParseError(`expected a JSON object, found ${o === null ? "null" : Array.isArray(o) ? "an array" : typeof o}${Array.isArray(value) ? " in the array" : ""}`, start)
      objs.push({ obj: o, start })
    }
  }
  if (objs.length === 0) throw new EventParseError("the JSON holds no object", offset)
  return objs.map(({ obj, start }) => {
    try {
      return jsonToEvent(obj)
    } catch (e) {
      if (e instanceof EventParseError && e.position === undefined) throw new EventParseError(e.message, start)
      throw e
    }
  })
}
