/**
 * The Elastic detection-rules corpus through the TOML loader, the KQL and EQL parsers and the
 * evaluator: every file accounted for, no crash, parse rate per language, and the behaviour of
 * real rules on hand-made events. Skips with a message when the corpus is absent.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"

import { describe, expect, it } from "vitest"

import { compile, evaluate } from "../../predicate/index.ts"
import type { Event } from "../../predicate/types.ts"
import { analyzeElastic } from "./analyze.ts"
import { readElasticToml } from "./rule.ts"
import type { ElasticAnalysis, ElasticRule } from "./types.ts"

const ROOT = join(import.meta.dirname, "../../../../shared/corpora/elastic")
const present = existsSync(ROOT)
if (!present) console.warn(`elastic corpus tests skipped: ${ROOT} is absent`)

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e)
    if (statSync(p).isDirectory()) walk(p, out)
    else if (p.endsWith(".toml")) out.push(p)
  }
  return out
}

function load(rel: string): { rule: ElasticRule; analysis: ElasticAnalysis } {
  const r = readElasticToml(rel, readFileSync(join(ROOT, rel), "utf8"))
  if (!r.rule) throw new Error(`${rel}: ${JSON.stringify(r.issues)}`)
  return { rule: r.rule, analysis: analyzeElastic(r.rule) }
}

const proc = (os: string, extra: Event): Event => ({
  "event.category": ["process"],
  "event.type": ["start"],
  "host.os.type": os,
  ...extra,
})
const verdict = (a: ElasticAnalysis, e: Event) => evaluate(compile(a.predicate ?? a.stages[0]!.predicate), e).matched

describe.skipIf(!present)("Elastic corpus", () => {
  it("loads every file without a crash and parses every query of the subset", () => {
    const files = walk(ROOT)
    const perLang = new Map<string, { total: number; parsed: number }>()
    const perType = new Map<string, { total: number; evaluable: number; reasons: Map<string, number> }>()
    let loaded = 0
    for (const f of files) {
      const rel = relative(ROOT, f)
      const r = readElasticToml(rel, readFileSync(f, "utf8"))
      expect(
        r.issues.filter((i) => i.severity === "error"),
        rel,
      ).toEqual([])
      if (!r.rule) continue
      loaded++
      const a = analyzeElastic(r.rule)
      const lang = r.rule.language ?? "none"
      const l = perLang.get(lang) ?? { total: 0, parsed: 0 }
      l.total++
      if (!a.parseError && lang !== "esql" && lang !== "lucene" && lang !== "none") l.parsed++
      perLang.set(lang, l)
      const t = perType.get(`${r.rule.type}/${lang}`) ?? { total: 0, evaluable: 0, reasons: new Map() }
      t.total++
      if (a.evaluable) t.evaluable++
      else {
        const why = a.parseError
          ? "does not parse"
          : a.kind !== "single-event"
            ? a.label
            : "uses constructs one event cannot decide"
        t.reasons.set(why, (t.reasons.get(why) ?? 0) + 1)
      }
      perType.set(`${r.rule.type}/${lang}`, t)
    }
    console.log(`elastic corpus: ${files.length} files, ${loaded} rules loaded`)
    for (const [lang, l] of perLang) console.log(`  ${lang}: ${l.parsed}/${l.total} parsed`)
    for (const [k, t] of perType)
      console.log(
        `  ${k}: ${t.evaluable}/${t.total} single-event evaluable${t.reasons.size ? `; others: ${[...t.reasons].map(([r, n]) => `${r} ${n}`).join(", ")}` : ""}`,
      )
    expect(files.length).toBeGreaterThanOrEqual(2100)
    expect(loaded).toBe(files.length)
    expect(perLang.get("eql")!.parsed).toBe(perLang.get("eql")!.total)
    expect(perLang.get("kuery")!.parsed).toBe(perLang.get("kuery")!.total)
  })

  it("keeps the metadata: ATT&CK with sub-techniques, risk, severity, guide, deprecated folder, building blocks", () => {
    const { rule, analysis } = load("rules/windows/execution_suspicious_cmd_wmi.toml")
    expect(rule.name).toBe("Suspicious Cmd Execution via WMI")
    expect(rule.riskScore).toBe(73)
    expect(rule.severity).toBe("high")
    expect(rule.threat.flatMap((t) => t.techniques.map((x) => x.id))).toContain("T1047")
    expect(rule.note).toMatch(/^## Triage and analysis/)
    expect(rule.queryLine).toBeGreaterThan(0)
    expect(analysis.kind).toBe("single-event")
    expect(analysis.evaluable).toBe(true)
    const subs = walk(join(ROOT, "rules/windows"))
      .map((f) => load(relative(ROOT, f)).rule)
      .flatMap((r) => r.threat.flatMap((t) => t.techniques.flatMap((x) => x.subtechniques)))
    expect(subs.some((s) => /^T\d{4}\.\d{3}$/.test(s.id))).toBe(true)
    const dep = walk(join(ROOT, "rules/_deprecated"))
    expect(dep.length).toBeGreaterThan(0)
    expect(load(relative(ROOT, dep[0]!)).rule.deprecated).toBe(true)
    expect(load("rules_building_block/defense_evasion_cmstp_execution.toml").rule.buildingBlock).toBe(true)
  })

  it("fires on the WMI output-capture command line", () => {
    const { analysis } = load("rules/windows/execution_suspicious_cmd_wmi.toml")
    const args = ["cmd.exe", "/Q", "/c", "whoami", "1>", "\\\\127.0.0.1\\ADMIN$\\__1733.5", "2>&1"]
    const e = proc("windows", {
      "process.name": "cmd.exe",
      "process.parent.name": "WmiPrvSE.exe",
      "process.args": args,
    })
    expect(verdict(analysis, e)).toBe(true)
    expect(verdict(analysis, { ...e, "process.parent.name": "explorer.exe" })).toBe(false)
  })

  // The reference cases of the format's specification, on the real rules.
  it("== is case-sensitive (UAC bypass via mmc)", () => {
    const { analysis } = load("rules/windows/privilege_escalation_uac_bypass_winfw_mmc_hijack.toml")
    const e = proc("windows", {
      "process.parent.name": "MMC.EXE",
      "process.parent.args": ["mmc.exe", "WF.msc"],
      "process.name": "cmd.exe",
    })
    expect(verdict(analysis, e)).toBe(false)
    expect(verdict(analysis, { ...e, "process.parent.name": "mmc.exe" })).toBe(true)
  })

  it(": ignores case, == on an array is any element (cmstp building block)", () => {
    const { analysis } = load("rules_building_block/defense_evasion_cmstp_execution.toml")
    const e = proc("windows", { "process.name": "CMSTP.EXE", "process.args": ["cmstp.exe", "/s", "C:\\x.inf"] })
    expect(verdict(analysis, e)).toBe(true)
    expect(verdict(analysis, { ...e, "process.args": ["cmstp.exe", "/S", "C:\\x.inf"] })).toBe(false)
  })

  it("* under == is a literal asterisk (appcmd)", () => {
    const { analysis } = load("rules/windows/credential_access_iis_apppoolsa_pwd_appcmd.toml")
    const e = proc("windows", {
      "process.name": "appcmd.exe",
      "process.args": ["appcmd.exe", "list", "apppool", "/text:name"],
    })
    expect(verdict(analysis, e)).toBe(false)
    expect(verdict(analysis, { ...e, "process.args": ["appcmd.exe", "list", "apppool", "/text:*"] })).toBe(true)
  })

  it("!= on a missing field is true (hidden share copy)", () => {
    const { analysis } = load("rules/windows/lateral_movement_remote_file_copy_hidden_share.toml")
    const e = proc("windows", {
      "process.name": "cmd.exe",
      "process.command_line": "cmd.exe /c copy a.exe \\\\10.0.0.5\\C$\\Temp\\",
      "process.args": ["cmd.exe", "/c", "copy", "a.exe", "\\\\10.0.0.5\\C$\\Temp\\"],
    })
    expect(verdict(analysis, { ...e, "user.id": "S-1-5-21-1-1001" })).toBe(true)
    expect(verdict(analysis, e)).toBe(true)
    expect(verdict(analysis, { ...e, "user.id": "S-1-5-18" })).toBe(false)
  })

  it("like~ ignores case on any element, == stays exact (keychain dump)", () => {
    const { analysis } = load("rules/macos/credential_access_dumping_keychain_security.toml")
    const e = proc("macos", { "process.name": "security", "process.args": ["security", "DUMP-KEYCHAIN", "-d"] })
    expect(verdict(analysis, e)).toBe(true)
    expect(verdict(analysis, { ...e, "process.args": ["security", "dump-keychain", "-D"] })).toBe(false)
  })

  it("an optional field absent is null (AD Explorer)", () => {
    const { analysis } = load("rules/windows/discovery_ad_explorer_execution.toml")
    const e = proc("windows", { "process.name": "renamed.exe" })
    expect(verdict(analysis, e)).toBe(false)
    expect(verdict(analysis, { ...e, "process.pe.original_file_name": "AdExp" })).toBe(true)
    expect(verdict(analysis, { ...e, "process.pe.original_file_name": "adexp" })).toBe(false)
  })

  it("regex~ is case-insensitive and anchored (short program name)", () => {
    const { analysis } = load("rules/windows/defense_evasion_suspicious_short_program_name.toml")
    const e = proc("windows", {
      "process.name": "A.EXE",
      "process.pe.original_file_name": "PsExec.exe",
      "process.executable": "C:\\Users\\x\\A.EXE",
    })
    expect(verdict(analysis, e)).toBe(true)
    expect(verdict(analysis, { ...e, "process.name": "ab.exe" })).toBe(false)
    const { "process.pe.original_file_name": _, ...noPe } = e
    expect(verdict(analysis, noPe)).toBe(false)
  })

  it("labels a sequence and lets one event match its first stage (MSBuild credential dumping)", () => {
    const { analysis } = load("rules/windows/credential_access_credential_dumping_msbuild.toml")
    expect(analysis.kind).toBe("multi-event")
    expect(analysis.evaluable).toBe(false)
    expect(analysis.stages.length).toBe(2)
    expect(analysis.joinKeys).toContain("process.entity_id")
    const e = proc("windows", { "process.name": "MSBuild.exe", "process.pe.original_file_name": "MSBuild.exe" })
    expect(evaluate(compile(analysis.stages[0]!.predicate), e).matched).not.toBe(false)
  })

  it("a new_terms rule is a candidate filter: KQL exact and case-sensitive (cmd started by svchost)", () => {
    const { analysis } = load("rules/windows/execution_command_shell_started_by_svchost.toml")
    expect(analysis.kind).toBe("novelty")
    expect(analysis.evaluable).toBe(false)
    expect(analysis.reason).toMatch(/process\.command_line/)
    const e = {
      "event.category": "process",
      "host.os.type": "windows",
      "event.type": "start",
      "process.parent.name": "svchost.exe",
      "process.name": "cmd.exe",
      "process.command_line": "cmd.exe /c whoami",
      "process.args": ["cmd.exe", "/c", "whoami"],
    }
    expect(verdict(analysis, e)).toBe(true)
    expect(verdict(analysis, { ...e, "process.name": "cmd.EXE" })).toBe(false)
  })
})
