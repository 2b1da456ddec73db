/**
 * Compacts an ATT&CK STIX 2.1 bundle into the committed facts file.
 *
 *   npx tsx scripts/compact-attack.ts [bundle.json] [--out file.json] [--version 18.1]
 *
 * Also writes the technique descriptions beside it (`<out>-descriptions.json`, lib/attack/descriptions.ts).
 *
 * Defaults: bundle `../shared/corpora/attack/enterprise-attack-18.1.json` (relative to the project
 * root), out `lib/attack/data/enterprise-attack.json`. The version is taken from `--version`, else
 * the bundle's x-mitre-collection, else the file name (`…-18.1.json`). Relative paths given on the
 * command line resolve against the current directory.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import { descriptionsFromStix } from "../lib/attack/descriptions.ts"
import { compactFromStix, formatAttackData, versionFromFileName } from "../lib/attack/stix.ts"

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const DEFAULT_BUNDLE = path.resolve(PROJECT_ROOT, "../shared/corpora/attack/enterprise-attack-18.1.json")
const DEFAULT_OUT = path.join(PROJECT_ROOT, "lib/attack/data/enterprise-attack.json")
/** Above this the file gets awkward to diff and to load per build; say so. */
const MAX_BYTES = 1_500_000

const USAGE = "usage: tsx scripts/compact-attack.ts [bundle.json] [--out file.json] [--version X.Y]"

function parseArgs(argv: string[]): { input: string; out: string; version?: string } {
  let input: string | undefined
  let out: string | undefined
  let version: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ""
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? arg.split(/=(.*)/s, 2) : [arg, undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined || v === "") throw new Error(`${flag} needs a value\n${USAGE}`)
      return v
    }
    if (flag === "--out" || flag === "-o") out = value()
    else if (flag === "--version") version = value()
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE)
      process.exit(0)
    } else if (flag?.startsWith("-")) throw new Error(`unknown option ${flag}\n${USAGE}`)
    else if (input === undefined) input = arg
    else throw new Error(`more than one bundle given\n${USAGE}`)
  }
  return {
    input: input ? path.resolve(input) : DEFAULT_BUNDLE,
    out: out ? path.resolve(out) : DEFAULT_OUT,
    ...(version !== undefined ? { version } : {}),
  }
}

function main(): void {
  const args = parseArgs(process.argv.slice(2))
  let bundle: unknown
  try {
    bundle = JSON.parse(readFileSync(args.input, "utf8"))
  } catch (err) {
    throw new Error(`cannot read STIX bundle ${args.input}: ${(err as Error).message}`)
  }
  const data = compactFromStix(bundle, { version: args.version, fallbackVersion: versionFromFileName(args.input) })
  const text = formatAttackData(data)
  mkdirSync(path.dirname(args.out), { recursive: true })
  writeFileSync(args.out, text)

  // Technique descriptions go to a file of their own beside the facts: only technique pages read them.
  const descOut = args.out.replace(/\.json$/, "") + "-descriptions.json"
  const descriptions = descriptionsFromStix(bundle)
  writeFileSync(descOut, `${JSON.stringify(descriptions, null, 0).replace(/","T/g, '",\n"T')}\n`)
  console.log(`${path.relative(process.cwd(), descOut)}: ${Object.keys(descriptions).length} technique descriptions`)

  const bytes = Buffer.byteLength(text)
  const revoked = data.techniques.filter((t) => t.revoked).length
  const deprecated = data.techniques.filter((t) => t.deprecated).length
  const subs = data.techniques.filter((t) => t.parent !== undefined).length
  console.log(
    `${path.relative(process.cwd(), args.out)}: ATT&CK ${data.version} ${data.domain}, ` +
      `${data.tactics.length} tactics, ${data.techniques.length} techniques ` +
      `(${subs} sub-techniques, ${revoked} revoked, ${deprecated} deprecated), ` +
      `${data.detectionStrategies.length} detection strategies, ${data.analytics.length} analytics, ` +
      `${data.dataComponents.length} data components, ${(bytes / 1024).toFixed(0)} KiB`,
  )
  if (data.version === "unknown") console.warn("warning: no ATT&CK version found; pass --version")
  if (bytes > MAX_BYTES) console.warn(`warning: ${bytes} bytes is above the ${MAX_BYTES}-byte budget`)
}

try {
  main()
} catch (err) {
  console.error(`compact-attack: ${(err as Error).message}`)
  process.exit(1)
}
