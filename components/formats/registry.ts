/**
 * The registry of rule-page parts: one line per rule format, in the order of lib/formats/registry.ts
 * (a test checks both lists name the same formats). The rule page looks its format up here and
 * never tests a format id itself.
 *
 * Never imports: anything of components/formats/<id>/ but its page.tsx.
 */
import { elasticPage } from "./elastic/page"
import { sigmaPage } from "./sigma/page"
import { splunkPage } from "./splunk/page"
import type { FormatPage } from "./types"

/** Every format's page parts, in registry order. */
export const FORMAT_PAGES: readonly FormatPage[] = [elasticPage, sigmaPage, splunkPage]

const BY_ID = new Map(FORMAT_PAGES.map((p) => [p.id, p]))

/** The page parts of a format id; throws on an id no page registered (a programming error). */
export function formatPage(id: string): FormatPage {
  const p = BY_ID.get(id)
  if (!p) throw new Error(`no rule-page parts for format "${id}" (known: ${FORMAT_PAGES.map((x) => x.id).join(", ")})`)
  return p
}
