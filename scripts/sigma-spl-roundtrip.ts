/**
 * Sigma → SPL round trip over a folder of Sigma rules (default: the SigmaHQ Windows rules in
 * ../shared/corpora/sigma/rules/windows): per logsource, how many rules translate to each target
 * and how many generated event pairs get the same verdict from the Sigma engine and from the SPL
 * engine reading the translation; then every disagreement and every reason a rule was not
 * translated. The `tstats+dm` column splits the cim count: tstats over the data model, or (a
 * field the model lacks, a free-text term) a `| datamodel … search` over the data set's events.
 *
 *   npx tsx scripts/sigma-spl-roundtrip.ts [dir…] [--show N]
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

import { roundTripRules } from "../lib/convert/round-trip.ts"
import { sigmaToSpl } from "../lib/convert/sigma-to-spl.ts"
import { readSigmaText } from "../lib/formats/sigma/index.ts"

const args = process.argv.slice(2)
const showAt = args.indexOf("--show")
const show = showAt >= 0 ? Number(args[showAt + 1]) : 20
const dirs = args.filter((a, i) => !a.startsWith("--") && i !== showAt + 1)
if (dirs.length === 0) dirs.push("../shared/corpora/sigma/rules/windows")

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(n) ? [p] : []
  })
}

const rules: Array<{ title: string; analysis: import("../lib/formats/sigma/types.ts").SigmaAnalysis }> = []
for (const dir of dirs) {
  if (!existsSync(dir)) {
    console.error(`${dir}: not found (the SigmaHQ corpus is read from ../shared/corpora/sigma)`)
    process.exit(1)
  }
  for (const f of walk(dir).sort()) {
    for (const { rule } of readSigmaText(f, readFileSync(f, "utf8")).rules)
      if (rule.analysis.kind === "detection") rules.push({ title: rule.title, analysis: rule.analysis })
  }
}
const t0 = Date.now()
const groups = roundTripRules(rules, sigmaToSpl)
const pct = (a: number, b: number) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)}%`)
const rows = [...groups].sort((a, b) => b[1].rules - a[1].rules)
console.log(
  "logsource".padEnd(40),
  "rules",
  "raw".padStart(12),
  "cim".padStart(12),
  "tstats+dm".padStart(10),
  "raw pairs agree".padStart(24),
  "cim pairs agree".padStart(24),
)
const total = { rules: 0, raw: 0, cim: 0, tstats: 0, dm: 0, rp: 0, ra: 0, cp: 0, ca: 0 }
for (const [label, g] of rows) {
  total.rules += g.rules
  total.raw += g.translated["spl-raw"]
  total.cim += g.translated["spl-cim"]
  total.tstats += g.cimForms.tstats
  total.dm += g.cimForms.datamodel
  total.rp += g.pairs["spl-raw"]
  total.ra += g.agree["spl-raw"]
  total.cp += g.pairs["spl-cim"]
  total.ca += g.agree["spl-cim"]
  console.log(
    label.padEnd(40),
    String(g.rules).padStart(5),
    `${g.translated["spl-raw"]} ${pct(g.translated["spl-raw"], g.rules)}`.padStart(12),
    `${g.translated["spl-cim"]} ${pct(g.translated["spl-cim"], g.rules)}`.padStart(12),
    `${g.cimForms.tstats}+${g.cimForms.datamodel}`.padStart(10),
    `${g.agree["spl-raw"]}/${g.pairs["spl-raw"]} ${pct(g.agree["spl-raw"], g.pairs["spl-raw"])}`.padStart(24),
    `${g.agree["spl-cim"]}/${g.pairs["spl-cim"]} ${pct(g.agree["spl-cim"], g.pairs["spl-cim"])}`.padStart(24),
  )
}
console.log(
  "TOTAL".padEnd(40),
  String(total.rules).padStart(5),
  `${total.raw} ${pct(total.raw, total.rules)}`.padStart(12),
  `${total.cim} ${pct(total.cim, total.rules)}`.padStart(12),
  `${total.tstats}+${total.dm}`.padStart(10),
  `${total.ra}/${total.rp} ${pct(total.ra, total.rp)}`.padStart(24),
  `${total.ca}/${total.cp} ${pct(total.ca, total.cp)}`.padStart(24),
)
console.log(`\n${((Date.now() - t0) / 1000).toFixed(1)} s`)
console.log("\nWhy rules were not translated (all logsources):")
for (const target of ["spl-raw", "spl-cim"] as const) {
  const reasons = new Map<string, number>()
  for (const [, g] of rows)
    for (const [r, n] of Object.entries(g.failed[target])) reasons.set(r, (reasons.get(r) ?? 0) + n)
  console.log(` ${target}:`)
  for (const [r, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`   ${String(n).padStart(5)}  ${r}`)
}
const dis = rows.flatMap(([label, g]) => g.disagreements.map((d) => ({ label, ...d })))
console.log(`\nRules with a disagreement: ${dis.length}`)
for (const d of dis.slice(0, show)) {
  console.log(`- [${d.label}] ${d.title} (${d.target}): sigma=${d.sample.sigma} spl=${d.sample.spl}`)
  console.log(`  event: ${JSON.stringify(d.sample.event)}`)
  console.log(`  search: ${d.search.replace(/\n/g, " ")}`)
}
