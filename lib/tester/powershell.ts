/**
 * Encoded PowerShell: finds `-EncodedCommand <base64>` (and the abbreviations powershell.exe
 * accepts) on a command line, decodes the script (base64 of UTF-16LE), and derives the events a
 * host would also have logged for it: the process with the script in clear on its command line,
 * and a PowerShell script-block event (4104) holding the script.
 *
 * Owns: PowerShell parameter matching, the base64 / UTF-16LE decoding, the derived events.
 *
 * Invariants:
 * - Parameters are matched as powershell.exe does: a switch starts with `-`, `/` or a dash
 *   character (– — ―); its name, case-insensitive, is any prefix of `encodedcommand` (so `-e`,
 *   `-en`, `-enc`, …) or the alias `ec`. Only arguments after a powershell / pwsh image token
 *   are read, so `-e` given to another program is never decoded.
 * - Decoding is strict: characters outside the base64 alphabet (whitespace aside), a length
 *   that is not a whole number of bytes or a decoded text with control characters other than
 *   tab and line breaks make the argument "not an encoded script" (returned with the reason),
 *   never a guess.
 * - Derived events are labelled as such by the caller; they never replace the input.
 *
 * Must never import: React, Next, Node built-ins, DOM APIs.
 */
import type { Event } from "../predicate/types.ts"
import { basename, buildProcessEvents, type BuiltEvents, type ProcessInput } from "./event.ts"

export type EncodedCommand = {
  /** The switch as written, e.g. `-enc`. */
  flag: string
  /** The base64 argument as written. */
  encoded: string
  /** The decoded script, when the argument decodes. */
  script?: string
  /** Why the argument is not a decodable script. */
  error?: string
  /** Character offsets of the switch and of the end of its argument in the command line. */
  start: number
  end: number
}

const POWERSHELL_IMAGE = /^(powershell|pwsh|powershell_ise)(\.exe)?$/i
const SWITCH_START = /^(?:-|\/|\u2013|\u2014|\u2015)+/

/** True when a switch name (without its leading dash) selects -EncodedCommand. */
export function isEncodedCommandSwitch(name: string): boolean {
  const n = name.toLowerCase()
  return n === "ec" || (n.length >= 1 && "encodedcommand".startsWith(n))
}

type Token = { text: string; start: number; end: number }

/** Splits a command line on whitespace, keeping double-quoted runs together (quotes removed). */
function tokens(cmd: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < cmd.length) {
    while (i < cmd.length && /\s/.test(cmd[i]!)) i++
    if (i >= cmd.length) break
    const start = i
    let text = ""
    let quoted = false
    while (i < cmd.length && (quoted || !/\s/.test(cmd[i]!))) {
      if (cmd[i] === '"') quoted = !quoted
      else text += cmd[i]
      i++
    }
    out.push({ text, start, end: i })
  }
  return out
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const B64_INDEX = new Map([...B64].map((c, i) => [c, i] as const))

/** Strict base64 → bytes; throws an Error saying what is wrong. */
export function decodeBase64(text: string): Uint8Array {
  const s = text.replace(/\s+/g, "")
  const body = s.replace(/={1,2}$/, "")
  if (body.length === 0) throw new Error("the argument is empty")
  for (let i = 0; i < body.length; i++) {
    if (!B64_INDEX.has(body[i]!)) throw new Error(`"${body[i]}" at character ${i + 1} is not base64`)
  }
  if (body.length % 4 === 1) throw new Error("the base64 length is not a whole number of bytes")
  const bytes = new Uint8Array(Math.floor((body.length * 3) / 4))
  let acc = 0
  let bits = 0
  let k = 0
  for (let i = 0; i < body.length; i++) {
    acc = (acc << 6) | B64_INDEX.get(body[i]!)!
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[k++] = (acc >> bits) & 0xff
    }
  }
  return bytes.subarray(0, k)
}

/** Lone surrogates and control characters: decoded bytes holding them were not UTF-16LE text. */
/* eslint-disable no-control-regex -- control characters are exactly what this test looks for. */
const NOT_UTF16_TEXT =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
/* eslint-enable no-control-regex */

/** UTF-16LE bytes → text; throws when the bytes are not a plausible script. */
export function decodeUtf16le(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new Error("an odd number of bytes is not UTF-16")
  let out = ""
  for (let i = 0; i < bytes.length; i += 2) out += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8))
  if (NOT_UTF16_TEXT.test(out)) throw new Error("the decoded bytes are not UTF-16LE text")
  return out
}

/** Every -EncodedCommand argument given to PowerShell on this command line, decoded when it can be. */
export function findEncodedCommands(cmd: string): EncodedCommand[] {
  const toks = tokens(cmd)
  const out: EncodedCommand[] = []
  let inPowershell = false
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!
    if (POWERSHELL_IMAGE.test(basename(t.text))) {
      inPowershell = true
      continue
    }
    if (!inPowershell) continue
    const m = SWITCH_START.exec(t.text)
    if (!m) continue
    const name = t.text.slice(m[0].length)
    if (!isEncodedCommandSwitch(name)) continue
    const arg = toks[i + 1]
    if (!arg) {
      out.push({ flag: t.text, encoded: "", error: "the switch has no argument", start: t.start, end: t.end })
      continue
    }
    const e: EncodedCommand = { flag: t.text, encoded: arg.text, start: t.start, end: arg.end }
    try {
      e.script = decodeUtf16le(decodeBase64(arg.text))
    } catch (err) {
      e.error = (err as Error).message
    }
    out.push(e)
    i++
  }
  return out
}

/** The command line with each decodable encoded argument replaced by `-Command <script>`. */
export function decodedCommandLine(cmd: string, found: readonly EncodedCommand[]): string {
  let out = ""
  let at = 0
  for (const e of found) {
    if (e.script === undefined) continue
    out += `${cmd.slice(at, e.start)}-Command ${e.script}`
    at = e.end
  }
  return out + cmd.slice(at)
}

/** The PowerShell script-block event (4104) a host logs for a script it runs. */
export function scriptBlockEvent(script: string, host: string | undefined, user: string | undefined): Event {
  const e: Event = {
    EventID: "4104",
    EventCode: "4104",
    Channel: "Microsoft-Windows-PowerShell/Operational",
    ProviderName: "Microsoft-Windows-PowerShell",
    source: "XmlWinEventLog:Microsoft-Windows-PowerShell/Operational",
    sourcetype: "xmlwineventlog",
    MessageNumber: "1",
    MessageTotal: "1",
    ScriptBlockText: script,
  }
  if (host !== undefined) {
    e.Computer = host
    e.dest = host
  }
  if (user !== undefined) e.user = user
  return e
}

export type DecodedScript = { flag: string; script?: string; error?: string }

/** An extra input derived from the user's, labelled for display. */
export type DerivedInput = { label: string; input: { built: BuiltEvents } | { event: Event } }

const CMD_FIELDS = ["CommandLine", "Process_Command_Line", "process"] as const

/**
 * The inputs derived from encoded PowerShell on a command line: the process with its script in
 * clear, and one script-block event per decodable script.
 */
export function deriveFromProcess(p: ProcessInput): { decoded: DecodedScript[]; derived: DerivedInput[] } {
  const found = findEncodedCommands(p.cmd)
  const decoded = found.map(({ flag, script, error }) =>
    script !== undefined ? { flag, script } : { flag, error: error ?? "not decodable" },
  )
  const ok = found.filter((e) => e.script !== undefined)
  if (ok.length === 0) return { decoded, derived: [] }
  const derived: DerivedInput[] = [
    {
      label: "Derived: the process with its encoded script decoded on the command line",
      input: { built: buildProcessEvents({ ...p, cmd: decodedCommandLine(p.cmd, ok) }) },
    },
  ]
  for (const e of ok)
    derived.push({
      label: `Derived: the script block PowerShell logs (4104) for ${e.flag}`,
      input: { event: scriptBlockEvent(e.script!, p.host, p.user) },
    })
  return { decoded, derived }
}

/** The same for a pasted event whose command line carries encoded PowerShell. */
export function deriveFromEvent(ev: Event, label: string): { decoded: DecodedScript[]; derived: DerivedInput[] } {
  const field = CMD_FIELDS.find((f) => typeof ev[f] === "string" && findEncodedCommands(ev[f] as string).length > 0)
  if (field === undefined) return { decoded: [], derived: [] }
  const cmd = ev[field] as string
  const found = findEncodedCommands(cmd)
  const decoded = found.map(({ flag, script, error }) =>
    script !== undefined ? { flag, script } : { flag, error: error ?? "not decodable" },
  )
  const ok = found.filter((e) => e.script !== undefined)
  if (ok.length === 0) return { decoded, derived: [] }
  const clear = decodedCommandLine(cmd, ok)
  const changed: Event = { ...ev }
  for (const f of CMD_FIELDS)
    if (typeof ev[f] === "string")
      changed[f] = decodedCommandLine(
        ev[f] as string,
        findEncodedCommands(ev[f] as string).filter((e) => e.script !== undefined),
      )
  changed[field] = clear
  const str = (v: Event[string]) => (typeof v === "string" ? v : undefined)
  const derived: DerivedInput[] = [
    { label: `${label}, derived: its encoded script decoded on the command line`, input: { event: changed } },
  ]
  for (const e of ok)
    derived.push({
      label: `${label}, derived: the script block PowerShell logs (4104) for ${e.flag}`,
      input: { event: scriptBlockEvent(e.script!, str(ev.Computer) ?? str(ev.dest), str(ev.User) ?? str(ev.user)) },
    })
  return { decoded, derived }
}
