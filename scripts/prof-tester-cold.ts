/**
 * `npx tsx scripts/prof-tester-cold.ts [--no-hints] [--browser] [out]`: prints where the tester
 * worker's cold start goes (parse, restore, compile, first and second evaluation) for a command
 * line, reading the chunks an export serves: in Node, and with --browser in Chromium too (the
 * same steps bundled with esbuild). `--no-hints` also times a compile without the payload's
 * compile products. Figures only; asserts nothing.
 */
import { readFileSync } from "node:fs"

import { compileCatalog, matchEvent } from "../lib/tester/match.ts"
import { compileTesterRules } from "../lib/tester/rules-data.ts"
import { chunksFor, restoreIds, type TesterManifest } from "../lib/tester/rules-chunks.ts"
import { fromTesterRules, type TesterRule } from "../lib/tester/rules-data.ts"
import { prepareTester, preparedPasted, preparedSources } from "../lib/tester/run.ts"
import { EMPTY_FORM } from "../lib/tester/form.ts"

const dir = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? "out"
const CMD = 'wmic /node:10.0.0.5 process call create "cmd.exe /c calc.exe"'
const t = (label: string, t0: number) => console.log(`${label.padEnd(28)} ${(performance.now() - t0).toFixed(1)} ms`)
let t0 = performance.now()
const m = JSON.parse(readFileSync(`${dir}/tester/rules/manifest.json`, "utf8")) as TesterManifest
const prepared = prepareTester({ ...EMPTY_FORM, cmd: CMD })
const need = chunksFor(m, preparedSources(prepared), preparedPasted(prepared))
const texts = need.map((c) => readFileSync(`${dir}/tester/rules/${c.file}`, "utf8"))
console.log(
  "chunks",
  need.map((c) => `${c.name} ${c.rules}`).join(", "),
  "bytes",
  texts.reduce((a, s) => a + s.length, 0),
)
t0 = performance.now()
const rows = texts.map((s) => JSON.parse(s) as TesterRule[])
t("JSON.parse", t0)
t0 = performance.now()
const flat = rows.flatMap((r) => restoreIds(r))
t("restoreIds", t0)
t0 = performance.now()
const ds = fromTesterRules(flat)
t("fromTesterRules", t0)
if (process.argv.includes("--no-hints")) {
  t0 = performance.now()
  compileCatalog(ds)
  t("compileCatalog, no hints", t0)
}
t0 = performance.now()
const catalog = compileTesterRules(flat)
t("compileTesterRules (hints)", t0)
if (!prepared.ok) throw new Error("bad input")
for (const run of ["first", "second", "third"]) {
  t0 = performance.now()
  for (const x of prepared.inputs) matchEvent(catalog, x.input)
  t(`matchEvent ${run}`, t0)
}

if (process.argv.includes("--browser")) {
  const { build } = await import("esbuild")
  const { launchChromium } = await import("./bench/chromium.ts")
  const bundle = await build({
    entryPoints: ["scripts/bench/tester-cold-entry.ts"],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2022",
    minify: true,
  })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage()
    await page.goto("about:blank")
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text })
    const steps = await page.evaluate(
      ([ts, cmd]) =>
        (
          globalThis as unknown as {
            coldTester: (t: string[], i: { cmd: string }) => Array<[string, number]>
          }
        ).coldTester(ts, { cmd }),
      [texts, CMD] as const,
    )
    console.log(`Chromium ${browser.version()}:`)
    for (const [label, ms] of steps) console.log(`${label.padEnd(28)} ${ms.toFixed(1)} ms`)
  } finally {
    await browser.close()
  }
}
