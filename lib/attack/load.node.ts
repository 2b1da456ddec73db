/**
 * Loads the ATT&CK facts for a build, CLI run or test.
 *
 * Owns: choosing the source — the STIX bundle named by the `ATTACK_STIX` environment variable
 * (compacted with `compactFromStix`, exactly as `scripts/compact-attack.ts` does), else the
 * committed `lib/attack/data/enterprise-attack.json` — and reporting unreadable sources.
 * Invariants: the default file is found at `<cwd>/lib/attack/data/enterprise-attack.json` (the
 * build, the CLI and Vitest all run from the project root), with a fallback next to this module
 * via `import.meta.url` for other working directories; a relative `ATTACK_STIX` resolves against
 * the cwd. Every failure throws `AttackLoadError` naming the path. Results are memoised per path.
 * Never imports: React, Next, client-only code.
 */

import { existsSync, readFileSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"
import type { AttackData, AttackIndex } from "./model.ts"
import { assertAttackData, buildAttackIndex } from "./model.ts"
import { descriptionsFromStix, type DescriptionMap } from "./descriptions.ts"
import { compactFromStix, versionFromFileName } from "./stix.ts"

/** The committed default, relative to the project root. */
export const DEFAULT_ATTACK_DATA_PATH = "lib/attack/data/enterprise-attack.json"

/** Thrown when the ATT&CK source cannot be read or is not what it should be. */
export class AttackLoadError extends Error {
  override name = "AttackLoadError"
  readonly path: string
  constructor(filePath: string, message: string, options?: { cause?: unknown }) {
    super(`${filePath}: ${message}`, options)
    this.path = filePath
  }
}

export interface LoadAttackOptions {
  /** Environment to read `ATTACK_STIX` from; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  /** Project root; defaults to `process.cwd()`. */
  cwd?: string
}

const cache = new Map<string, AttackData>()

/** ATT&CK data from `ATTACK_STIX` if set, else the committed default. */
export function loadAttack(options: LoadAttackOptions = {}): AttackData {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const stix = env.ATTACK_STIX?.trim()
  if (stix) return loadStix(path.resolve(cwd, stix))
  return loadCompact(defaultDataPath(cwd))
}

/** `buildAttackIndex(loadAttack(options))`, memoised with the data. */
export function loadAttackIndex(options: LoadAttackOptions = {}): AttackIndex {
  const data = loadAttack(options)
  let index = indexCache.get(data)
  if (!index) {
    index = buildAttackIndex(data)
    indexCache.set(data, index)
  }
  return index
}

const indexCache = new WeakMap<AttackData, AttackIndex>()

function defaultDataPath(cwd: string): string {
  const fromCwd = path.join(cwd, DEFAULT_ATTACK_DATA_PATH)
  if (existsSync(fromCwd)) return fromCwd
  try {
    const nextToModule = fileURLToPath(new URL("./data/enterprise-attack.json", import.meta.url))
    if (existsSync(nextToModule)) return nextToModule
  } catch {
    // import.meta.url is not a file: URL (e.g. rewritten by a bundler): keep the cwd path.
  }
  return fromCwd
}

function readJson(filePath: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(filePath, "utf8")
  } catch (err) {
    throw new AttackLoadError(filePath, `cannot read ${what}: ${(err as Error).message}`, { cause: err })
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new AttackLoadError(filePath, `${what} is not valid JSON: ${(err as Error).message}`, { cause: err })
  }
}

function loadStix(filePath: string): AttackData {
  const key = `stix:${filePath}`
  const cached = cache.get(key)
  if (cached) return cached
  const bundle = readJson(filePath, "ATTACK_STIX bundle")
  let data: AttackData
  try {
    data = compactFromStix(bundle, { fallbackVersion: versionFromFileName(filePath) })
  } catch (err) {
    throw new AttackLoadError(filePath, `ATTACK_STIX: ${(err as Error).message}`, { cause: err })
  }
  cache.set(key, data)
  return data
}

function loadCompact(filePath: string): AttackData {
  const key = `data:${filePath}`
  const cached = cache.get(key)
  if (cached) return cached
  const data = readJson(filePath, "ATT&CK data")
  try {
    assertAttackData(data)
  } catch (err) {
    throw new AttackLoadError(filePath, (err as Error).message, { cause: err })
  }
  cache.set(key, data)
  return data
}

const descriptionCache = new Map<string, DescriptionMap>()

/**
 * Technique descriptions by id: from the `ATTACK_STIX` bundle when set (so they match its facts),
 * else the committed `<data>-descriptions.json` beside the default facts. A missing default file
 * gives an empty map (pages then show no description) rather than failing the build.
 */
export function loadTechniqueDescriptions(options: LoadAttackOptions = {}): DescriptionMap {
  const env = options.env ?? process.env
  const cwd = options.cwd ?? process.cwd()
  const stix = env.ATTACK_STIX?.trim()
  const file = stix ? path.resolve(cwd, stix) : defaultDataPath(cwd).replace(/\.json$/, "-descriptions.json")
  const cached = descriptionCache.get(file)
  if (cached) return cached
  let map: DescriptionMap = {}
  if (stix) map = descriptionsFromStix(readJson(file, "ATTACK_STIX bundle"))
  else if (existsSync(file)) map = readJson(file, "ATT&CK descriptions") as DescriptionMap
  descriptionCache.set(file, map)
  return map
}
