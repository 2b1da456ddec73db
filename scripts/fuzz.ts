/**
 * `npm run fuzz -- [--n 100000] [--seed 1] [--target spl,predicate,tester,readers,sigma] [--content dir[,dir]] [--no-corpus]`
 * `npm run fuzz -- --replay [.atlas/fuzz-findings.json]`
 *
 * Mutation fuzzing of the SPL parser and analyser, the predicate evaluator, the tester and the
 * Sigma reader: seeds are the searches, macros, example events and Sigma rules of content/ plus,
 * when ../shared/corpora is present, the security_content and Sigma corpora. `--n` inputs per
 * target. Prints one table row per target (inputs, exceptions, inputs over 50 ms, max / p50 / p99
 * ms) and each finding with its input; exits 1 when any target has a finding.
 * `--replay` runs the saved findings again, alone, on a warm engine (five spaced-out runs each,
 * fastest kept): a slow input of a long run that is fast here was the machine's, not the input's.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"

import { contentRoots, loadCatalog } from "../lib/catalog/load.node.ts"
import { rng } from "../lib/fuzz/mutate.ts"
import { collectGarbage, fuzzTarget, formatReports, retime, BUDGET_MS, type Finding } from "../lib/fuzz/run.ts"
import { allTargets, fuzzContext } from "../lib/fuzz/targets.ts"

const CORPORA = ["../shared/corpora/security_content", "../shared/corpora/sigma"]

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

const n = Number(arg("n") ?? 10_000)
const seed = Number(arg("seed") ?? 1)
const wanted = arg("target")?.split(",")
const roots = contentRoots(arg("content") ?? process.env.CATALOG_CONTENT)
if (!process.argv.includes("--no-corpus")) roots.push(...CORPORA.filter((c) => existsSync(c)))
const log = (line: string) => process.stderr.write(`fuzz: ${line}\n`)

log(`seeds from ${roots.join(", ")}`)
const catalog = loadCatalog({ roots })
const ctx = fuzzContext(catalog)
log(
  `${ctx.searches.length} searches, ${catalog.macros.length} macros, ${ctx.events.length} events, ${ctx.sigma.length} Sigma rules; ${n} inputs per target, seed ${seed}`,
)

const targets = allTargets(ctx).filter((t) => !wanted || wanted.includes(t.name))

if (process.argv.includes("--replay")) {
  const next = process.argv[process.argv.indexOf("--replay") + 1]
  const file = next && !next.startsWith("--") ? next : ".atlas/fuzz-findings.json"
  if (!existsSync(file)) {
    log(`${file}: no such file (a run without findings leaves none; .atlas/fuzz-slowest.json holds the slowest inputs)`)
    process.exit(2)
  }
  const saved = (JSON.parse(readFileSync(file, "utf8")) as (Finding & { target: string })[]).filter((f) =>
    targets.some((t) => t.name === f.target),
  )
  let confirmed = 0
  for (const f of saved) {
    const target = targets.find((t) => t.name === f.target)
    if (!target) continue
    // Warm the paths this input takes (same run seed, same choices) before timing it.
    for (let i = 0; i < 3; i++) {
      try {
        target.run(f.input, rng(f.runSeed))
      } catch {
        // An exception finding is reported by its timed run below.
      }
    }
    collectGarbage()
    let line: string
    try {
      const ms = await retime(target, { ...f, ms: Number.POSITIVE_INFINITY })
      if (ms > BUDGET_MS) confirmed++
      line = `${ms.toFixed(1)} ms${ms > BUDGET_MS ? " (over budget)" : ""}`
    } catch (error) {
      confirmed++
      line = `throws ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`
    }
    process.stdout.write(`${f.target} #${f.index} (${f.input.length} chars, was ${f.ms.toFixed(1)} ms): ${line}\n`)
  }
  log(`${confirmed} of ${saved.length} finding(s) confirmed`)
  process.exit(confirmed > 0 ? 1 : 0)
}
const reports = targets.map((t) => {
  // Each target starts from a clean heap: the garbage of the one before is not its cost.
  collectGarbage()
  return fuzzTarget(t, {
    n,
    seed,
    onProgress: (name, done) =>
      log(`${name}: ${done}/${n}, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB`),
  })
})

process.stdout.write(`${formatReports(reports)}\n`)
const findings = reports.flatMap((r) => r.findings.map((f) => ({ target: r.target, ...f })))
for (const f of findings) {
  const shown =
    f.input.length > 300
      ? `${JSON.stringify(f.input.slice(0, 300))}… (${f.input.length} chars)`
      : JSON.stringify(f.input)
  process.stdout.write(`\n${f.target} #${f.index} ${f.kind}: ${f.detail}\n  input: ${shown}\n`)
}
mkdirSync(".atlas", { recursive: true })
writeFileSync(
  ".atlas/fuzz-slowest.json",
  `${JSON.stringify(
    reports.flatMap((r) => r.slowest.map((f) => ({ target: r.target, ...f }))),
    null,
    1,
  )}\n`,
)
log("the slowest inputs of each target (under budget or not) are in .atlas/fuzz-slowest.json")
// A findings file from an earlier run would be replayed as this run's.
rmSync(".atlas/fuzz-findings.json", { force: true })
if (findings.length > 0) {
  writeFileSync(".atlas/fuzz-findings.json", `${JSON.stringify(findings, null, 1)}\n`)
  log(`${findings.length} finding(s); inputs in .atlas/fuzz-findings.json`)
  process.exit(1)
}
