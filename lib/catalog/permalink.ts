/**
 * Permanent links by rule id: `/id/?<id>` (also `/id/#<id>` and `/id/?id=<id>`) resolves to the
 * rule page in the browser, from `/id/map.json`.
 *
 * Owns: the map's shape (built at build time) and reading the id out of a location.
 * Why one page and a map instead of one redirect page per rule: a page per id doubled the export's
 * page count for no content; the map is fetched only by someone who follows a permalink.
 * Never imports: React, Next, Node built-ins.
 */
import type { Detection } from "./types.ts"

/**
 * Lower-cased rule id → `<format>/<slug>` (the rule page is `/rules/<format>/<slug>/`), or a list
 * of them when rules of several formats share the id (ids are unique only within a format).
 */
export type IdMap = Record<string, string | string[]>

/** The map for every rule. Ids are matched case-insensitively; a shared id lists every rule, in catalog order. */
export function idMap(detections: ReadonlyArray<Pick<Detection, "id" | "format" | "slug">>): IdMap {
  const map: IdMap = {}
  for (const d of detections) {
    if (!d.id) continue
    const id = d.id.toLowerCase()
    const page = `${d.format}/${d.slug}`
    const known = Object.hasOwn(map, id) ? map[id] : undefined
    map[id] = known === undefined ? page : [...(Array.isArray(known) ? known : [known]), page]
  }
  return map
}

/** The permalink of a rule id (site-absolute, without the base path). */
export function idPath(id: string): string {
  return `/id/?${encodeURIComponent(id)}`
}

/**
 * The rule id a location asks for: `?<id>`, `?id=<id>` (what the page's form submits) or `#<id>`;
 * undefined when there is none. Surrounding whitespace is dropped; ids are compared lower-cased.
 */
export function idFromLocation(search: string, hash: string): string | undefined {
  const fromHash = decode(hash.replace(/^#/, ""))
  if (fromHash) return fromHash
  const query = search.replace(/^\?/, "")
  if (!query) return undefined
  if (!query.includes("=")) return decode(query)
  return decode(new URLSearchParams(query).get("id") ?? "") || undefined
}

/** The rule pages for an id: none when the catalog has no rule with that id, several when formats share it. */
export function resolveId(map: IdMap, id: string): string[] {
  const target = Object.hasOwn(map, id.toLowerCase()) ? map[id.toLowerCase()] : undefined
  return (target === undefined ? [] : Array.isArray(target) ? target : [target]).map((t) => `/rules/${t}/`)
}

function decode(text: string): string | undefined {
  let value = text
  try {
    value = decodeURIComponent(text.replace(/\+/g, " "))
  } catch {
    // A malformed escape is kept as written: the lookup then reports it as unknown.
  }
  return value.trim() || undefined
}
