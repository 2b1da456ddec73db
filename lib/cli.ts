/**
 * `npm run atlas -- <command>`: the catalog outside the browser, for people and CI.
 *
 * Owns: argument parsing and output. Commands: `validate` (diagnostics, exit 1 on errors) and
 * `report` (the counts of out/report.json, without building the site). Results go to stdout;
 * progress goes to stderr so stdout stays machine-readable.
 */
import { contentRoots, loadCatalog } from "./catalog/load.node.ts"
import { buildReport, formatDiagnostic, summaryLine } from "./catalog/report.ts"

const USAGE = `usage: atlas <command> [options]

commands:
  validate [--content dir[,dir]] [--json]   check every file; exit 1 when any error is found
  report   [--content dir[,dir]]            print the catalog's counts as JSON

options:
  --content   content folders (default: $CATALOG_CONTENT or content/)
  --json      print diagnostics as JSON instead of path:line:column lines`

interface Args {
  command?: string
  content?: string
  json: boolean
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === "--content") args.content = argv[++i]
    else if (a?.startsWith("--content=")) args.content = a.slice("--content=".length)
    else if (a === "--json") args.json = true
    else if (a === "--help" || a === "-h") args.command = "help"
    else if (!args.command && a && !a.startsWith("-")) args.command = a
    else {
      process.stderr.write(`atlas: unknown argument ${a}\n${USAGE}\n`)
      process.exit(2)
    }
  }
  return args
}

function main(): void {
  const args = parseArgs(process.argv.slice(2))
  if (!args.command || args.command === "help") {
    process.stdout.write(`${USAGE}\n`)
    process.exit(args.command ? 0 : 2)
  }
  const roots = contentRoots(args.content ?? process.env.CATALOG_CONTENT)
  const catalog = loadCatalog({ roots, onProgress: (l) => process.stderr.write(`atlas: ${l}\n`) })
  if (args.command === "validate") {
    if (args.json) process.stdout.write(`${JSON.stringify(catalog.diagnostics, null, 1)}\n`)
    else for (const d of catalog.diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`)
    process.stderr.write(`atlas: ${summaryLine(catalog)}\n`)
    process.exit(catalog.diagnostics.some((d) => d.severity === "error") ? 1 : 0)
  }
  if (args.command === "report") {
    const { counts, byKind, timings, roots: r, attackVersion } = buildReport(catalog, { strict: false })
    process.stdout.write(`${JSON.stringify({ roots: r, attackVersion, counts, byKind, timings }, null, 1)}\n`)
    return
  }
  process.stderr.write(`atlas: unknown command ${args.command}\n${USAGE}\n`)
  process.exit(2)
}

main()
