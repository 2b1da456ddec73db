/**
 * The bad-input suite: a security_content tree where broken files (committed in
 * __fixtures__/bad-input, plus the huge, binary and looping ones generated here) sit beside valid
 * rules. Every bad file must yield its diagnostic, every valid rule must still load, the load must
 * finish in bounded time, and CATALOG_STRICT=1 must stop the build listing the broken files.
 */
import { spawnSync } from "node:child_process"
import { randomUUID } from "node:crypto"
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

import { afterAll, describe, expect, it } from "vitest"

import { loadCatalog } from "./load.node.ts"
import { buildReport, formatDiagnostic } from "./report.ts"
import type { Catalog } from "./types.ts"

const FIXTURE = "lib/catalog/__fixtures__/bad-input"
const root = mkdtempSync(join(tmpdir(), "atlas-bad-input-"))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** A valid rule of the fixture under a new name and id, with its search replaced. */
function withSearch(name: string, search: string): string {
  const base = readFileSync(join(FIXTURE, "detections/endpoint/valid_psexec_service.yml"), "utf8")
  return base
    .replace(/^name: .*$/m, `name: ${name}`)
    .replace(/^id: .*$/m, `id: ${randomUUID()}`)
    .replace(/^search: .*$/m, () => `search: ${search}`)
}

/** Files too big, binary or self-referencing to commit: written into the copy at test time. */
function generate(dir: string): void {
  const ep = join(dir, "detections/endpoint")
  const valid = readFileSync(join(FIXTURE, "detections/endpoint/valid_psexec_service.yml"), "utf8")
  // A 5 MB file: a rule whose description runs on for megabytes.
  writeFileSync(
    join(ep, "bad_huge_5mb.yml"),
    valid.replace(/^description: .*$/m, `description: ${"lorem ipsum ".repeat(440_000)}`),
  )
  // A binary file with a .yml name (a PNG header and NULs).
  writeFileSync(
    join(ep, "bad_binary.yml"),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  )
  // Latin-1 text: `é` as the single byte 0xE9 is not UTF-8.
  writeFileSync(
    join(ep, "bad_invalid_utf8.yml"),
    Buffer.concat([Buffer.from("name: Caf"), Buffer.from([0xe9]), Buffer.from(" Rule\n")]),
  )
  // A folder that links back to an ancestor.
  symlinkSync("..", join(ep, "bad_symlink_loop"))
  // A rule with 10,000 predicates: valid, and must load in bounded time.
  const predicates = Array.from({ length: 10_000 }, (_, i) => `CommandLine="*token-${i}*"`).join(" OR ")
  writeFileSync(
    join(ep, "valid_ten_thousand_predicates.yml"),
    withSearch(
      "Valid Ten Thousand Predicates",
      `'\`sysmon\` EventCode=1 (${predicates}) | stats count by dest | \`valid_ten_thousand_predicates_filter\`'`,
    ),
  )
  // A macro bomb: each macro calls the next one twice (2^25 expansions if nothing stopped it).
  for (let i = 0; i < 25; i++) {
    const body = i < 24 ? `\`bad_bomb_${i + 1}\` OR \`bad_bomb_${i + 1}\`` : "process_name=x.exe"
    writeFileSync(
      join(dir, "macros", `bad_bomb_${i}.yml`),
      `name: bad_bomb_${i}\ndefinition: '${body}'\ndescription: One level of a macro bomb.\n`,
    )
  }
  writeFileSync(
    join(ep, "bad_macro_bomb.yml"),
    withSearch("Bad Macro Bomb", "'`sysmon` EventCode=1 `bad_bomb_0` | `bad_macro_bomb_filter`'"),
  )
  // Parentheses nested 20,000 deep: loads, with the search marked unparseable.
  writeFileSync(
    join(ep, "bad_deep_nesting.yml"),
    withSearch(
      "Bad Deep Nesting",
      `'\`sysmon\` ${"(".repeat(20_000)}Image=x${")".repeat(20_000)} | \`bad_deep_nesting_filter\`'`,
    ),
  )
}

cpSync(FIXTURE, root, { recursive: true })
generate(root)
const started = performance.now()
const catalog: Catalog = loadCatalog({ roots: [root] })
const loadMs = performance.now() - started

// Paths are shown under the root's label (its folder name): never the absolute temporary folder.
const rel = (p: string) => p.slice(p.indexOf("/") + 1)
const diagnosticsFor = (file: string) => catalog.diagnostics.filter((d) => rel(d.path) === file)
const fileRecord = (file: string) => catalog.files.find((f) => rel(f.path) === file)

/** Bad file → the diagnostic it must yield, and the line it must point at (0: no line applies). */
const REJECTED: Array<[file: string, code: string, line: number]> = [
  ["detections/endpoint/bad_yaml_indentation.yml", "yaml-syntax", 6],
  ["detections/endpoint/bad_yaml_unclosed_quote.yml", "yaml-syntax", 34],
  ["detections/endpoint/bad_yaml_tab_indent.yml", "yaml-syntax", 18],
  ["detections/endpoint/bad_yaml_unclosed_flow.yml", "yaml-syntax", 15],
  ["detections/endpoint/bad_yaml_alias_bomb.yml", "yaml-aliases", 0],
  ["detections/endpoint/bad_duplicate_key.yml", "duplicate-key", 8],
  ["detections/endpoint/bad_multiple_documents.yml", "multiple-documents", 34],
  ["detections/endpoint/bad_top_level_list.yml", "not-a-mapping", 1],
  ["detections/endpoint/bad_top_level_scalar.yml", "not-a-mapping", 1],
  ["detections/endpoint/bad_comments_only.yml", "empty-file", 0],
  ["detections/endpoint/bad_empty.yml", "empty-file", 0],
  ["detections/endpoint/bad_wrong_type_version.yml", "schema", 3],
  ["detections/endpoint/bad_wrong_type_search.yml", "schema", 12],
  ["detections/endpoint/bad_wrong_type_score.yml", "schema", 21],
  ["detections/endpoint/bad_wrong_type_tags.yml", "schema", 25],
  ["detections/endpoint/bad_invalid_status.yml", "schema", 6],
  ["detections/endpoint/bad_invalid_type.yml", "schema", 7],
  ["detections/endpoint/bad_invalid_uuid.yml", "schema", 2],
  ["detections/endpoint/bad_missing_search.yml", "schema", 1],
  ["detections/endpoint/bad_missing_id.yml", "schema", 1],
  ["detections/endpoint/bad_missing_name.yml", "schema", 1],
  ["detections/endpoint/wmic_remote_process_duplicate_id.yml", "duplicate-id", 1],
  ["detections/endpoint/bad_huge_5mb.yml", "unreadable", 0],
  ["detections/endpoint/bad_binary.yml", "unreadable", 0],
  ["detections/endpoint/bad_invalid_utf8.yml", "unreadable", 0],
  ["macros/bad_macro_missing_definition.yml", "schema", 1],
  ["macros/bad_macro_arguments_not_a_list.yml", "schema", 2],
  ["stories/bad_story_missing_name.yml", "schema", 1],
  ["stories/bad_story_yaml.yml", "yaml-syntax", 4],
  ["data_sources/bad_data_source_wrong_type.yml", "schema", 10],
  ["data_sources/sysmon_eventid_1_duplicate_id.yml", "duplicate-id", 1],
]

/** Loaded rules whose search Splunk would refuse or warn about: the rule stays, the diagnostic says why. */
const FLAGGED: Array<[file: string, code: string, severity: "error" | "warning", line: number]> = [
  ["detections/endpoint/bad_macro_cycle.yml", "macro-cycle", "error", 11],
  ["detections/endpoint/bad_macro_self_recursion.yml", "macro-cycle", "error", 11],
  ["detections/endpoint/bad_macro_bomb.yml", "macro-limit", "error", 11],
  ["detections/endpoint/bad_unterminated_macro.yml", "unterminated-macro", "error", 11],
  ["detections/endpoint/bad_spl_unbalanced_quote.yml", "unbalanced-quote", "error", 13],
  ["detections/endpoint/bad_spl_unbalanced_paren.yml", "unbalanced-paren", "error", 13],
  ["detections/endpoint/bad_spl_stray_paren.yml", "unbalanced-paren", "error", 12],
  ["detections/endpoint/bad_spl_unbalanced_bracket.yml", "unbalanced-bracket", "error", 13],
  ["detections/endpoint/bad_unknown_macro.yml", "unknown-macro", "warning", 11],
  ["detections/web/valid_winrs_remote_shell.yml", "duplicate-slug", "warning", 1],
]

const VALID_RULES = [
  "Valid WMIC Remote Process",
  "Valid WinRS Remote Shell",
  "Valid Schtasks Remote Create",
  "Valid PsExec Service",
  "Valid SMB Sweep",
  "Valid Ten Thousand Predicates",
]

describe("bad-input suite", () => {
  it("holds at least 30 bad files", () => {
    expect(REJECTED.length + FLAGGED.length + 2).toBeGreaterThanOrEqual(30)
  })

  it.each(REJECTED)("%s is rejected with %s at line %i", (file, code, line) => {
    const d = diagnosticsFor(file).find((x) => x.code === code)
    expect(d, `diagnostics of ${file}: ${diagnosticsFor(file).map(formatDiagnostic).join("; ")}`).toBeDefined()
    expect(d?.severity).toBe("error")
    expect(d?.line).toBe(line)
    expect(d?.message.length).toBeGreaterThan(8)
    expect(fileRecord(file)?.status).toBe("rejected")
  })

  it.each(FLAGGED)("%s stays loaded with %s (%s) at line %i", (file, code, severity, line) => {
    const d = diagnosticsFor(file).find((x) => x.code === code)
    expect(d, `diagnostics of ${file}: ${diagnosticsFor(file).map(formatDiagnostic).join("; ")}`).toMatchObject({
      severity,
      line,
    })
    expect(fileRecord(file)?.status).toBe("loaded")
  })

  it("names the reason of each unreadable file", () => {
    const message = (f: string) => diagnosticsFor(f)[0]?.message
    expect(message("detections/endpoint/bad_huge_5mb.yml")).toMatch(/5\.\d MB; the limit is 2 MB/)
    expect(message("detections/endpoint/bad_binary.yml")).toMatch(/binary file/)
    expect(message("detections/endpoint/bad_invalid_utf8.yml")).toMatch(/not valid UTF-8/)
    expect(message("detections/endpoint/bad_yaml_alias_bomb.yml")).toMatch(/alias/i)
  })

  it("reports the symlink loop and walks on", () => {
    expect(diagnosticsFor("detections/endpoint/bad_symlink_loop")).toEqual([
      expect.objectContaining({
        code: "walk",
        severity: "error",
        message: expect.stringContaining("symbolic link loop"),
      }),
    ])
  })

  it("loads every valid rule beside the bad files", () => {
    const names = catalog.detections.map((d) => d.name)
    for (const name of VALID_RULES) expect(names).toContain(name)
    expect(catalog.detections.find((d) => d.name === "Valid WMIC Remote Process")?.path).toMatch(
      /valid_wmic_remote_process\.yml$/,
    )
    expect(catalog.dataSources.map((s) => s.name).sort()).toEqual(["Sysmon EventID 1", "Zeek Conn"])
    expect(catalog.stories.map((s) => s.name)).toEqual(["Bad Input Remote Execution"])
    expect(catalog.macros.map((m) => m.name)).toEqual(
      expect.arrayContaining(["bad_input_wmic", "sysmon", "bad_cycle_a", "bad_cycle_b", "bad_self_recursive"]),
    )
  })

  it("analyses the 10,000-predicate rule and marks the deep one unparseable", () => {
    const big = catalog.detections.find((d) => d.name === "Valid Ten Thousand Predicates")
    expect(big?.analysis?.evaluability.evaluable).toBe(true)
    const deep = catalog.detections.find((d) => d.name === "Bad Deep Nesting")
    expect(deep?.analysis?.evaluability.reasons.map((r) => r.construct)).toContain("parse-error")
  })

  it("finishes in bounded time and accounts for every file", () => {
    console.log(`bad-input tree: ${catalog.files.length} files loaded or rejected in ${Math.round(loadMs)} ms`)
    expect(loadMs).toBeLessThan(15_000)
    const report = buildReport(catalog, { strict: false })
    const accounted = report.byKind.reduce((n, k) => n + k.loaded + k.rejected + k.ignored, 0)
    expect(accounted).toBe(catalog.files.length)
    expect(new Set(catalog.files.map((f) => f.path)).size).toBe(catalog.files.length)
    expect(catalog.diagnostics.filter((d) => d.code === "spl-analysis")).toEqual([])
  })
})

describe("progress", () => {
  it("reports phases and counts while loading", () => {
    const lines: string[] = []
    loadCatalog({ roots: [FIXTURE], onProgress: (l) => lines.push(l), progressIntervalMs: 0 })
    expect(lines[0]).toMatch(/^reading \d+ files from /)
    expect(lines).toContainEqual(expect.stringMatching(/^parsing: 0\/\d+ files, \d+\.\d s$/))
    expect(lines.at(-1)).toMatch(/^analysing searches: (\d+)\/\1 files/)
  })
})

describe("CATALOG_STRICT=1", () => {
  it("stops the build before exporting, listing every error", () => {
    const strictRoot = join(root, "..", `${root.split("/").pop()}-strict`)
    mkdirSync(strictRoot)
    try {
      // The generated giants are covered above; the committed files are enough to list here.
      cpSync(FIXTURE, strictRoot, { recursive: true })
      const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], {
        env: { ...process.env, CATALOG_STRICT: "1", CATALOG_CONTENT: strictRoot },
        encoding: "utf8",
        timeout: 60_000,
      })
      expect(run.status).toBe(1)
      const listed = run.stderr.split("CATALOG_STRICT=1")[1] ?? ""
      expect(listed).toMatch(/\d+ error\(s\), build stopped/)
      for (const [file] of REJECTED.filter(([f]) => !/huge|binary|utf8/.test(f))) expect(listed).toContain(file)
      for (const [file, , severity] of FLAGGED)
        if (severity === "error" && !file.includes("bomb")) expect(listed).toContain(file)
      expect(listed).toMatch(/bad_spl_unbalanced_quote\.yml:13:\d+: error: /)
      expect(run.stderr).toMatch(/loaded \d+ rules, .* files rejected, \d+ errors, \d+ warnings in \d+\.\d s/)
    } finally {
      rmSync(strictRoot, { recursive: true, force: true })
    }
  }, 90_000)
})
