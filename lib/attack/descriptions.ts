/**
 * ATT&CK technique descriptions: taken from a STIX bundle, kept beside the compact facts in their
 * own file (lib/attack/data/enterprise-attack-descriptions.json, about 0.9 MB, read only by
 * technique pages), and read into a small safe document model for rendering.
 *
 * Owns: extraction (`descriptionsFromStix`), citation stripping, and `parseDescription`, which
 * turns ATT&CK's Markdown subset (paragraphs, `*` and `1.` lists, `#` headings, `[text](url)`
 * links, `**bold**`, backticks and `<code>` elements) into blocks of text, code and link spans.
 * Invariants: nothing in the output is HTML: any other tag in the source stays visible text, so a
 * renderer that prints spans as text cannot inject markup. Links keep only http(s) URLs; links
 * to ATT&CK technique and tactic pages become the site's own (`/techniques/t1059.004/`).
 * Never imports: React, Next, Node built-ins.
 */

/** Technique id → description (citations removed). */
export type DescriptionMap = Record<string, string>

export type Span =
  { text: string } | { code: string } | { strong: string } | { text: string; href: string; internal: boolean }
export interface Block {
  kind: "p" | "li" | "h"
  spans: Span[]
}

interface StixObject {
  type?: string
  description?: string
  revoked?: boolean
  x_mitre_deprecated?: boolean
  external_references?: Array<{ source_name?: string; external_id?: string }>
}

/** `(Citation: Some Source)` markers: the references live on ATT&CK's site, not here. */
export function stripCitations(text: string): string {
  return text.replace(/\s*\(Citation:[^)]*\)/g, "").trim()
}

/** Descriptions of the live techniques of a bundle, by ATT&CK id. */
export function descriptionsFromStix(bundle: unknown): DescriptionMap {
  const objects = (bundle as { objects?: StixObject[] } | null)?.objects ?? []
  const out: DescriptionMap = {}
  for (const o of objects) {
    if (o.type !== "attack-pattern" || o.revoked || o.x_mitre_deprecated || !o.description) continue
    const id = o.external_references?.find((r) => r.source_name === "mitre-attack")?.external_id
    if (id) out[id.toUpperCase()] = stripCitations(o.description)
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)))
}

/**
 * A link target for the site: ATT&CK technique pages map to ours where the site has that page
 * (`hasPage` gets the lower-case id; a technique of another matrix keeps ATT&CK's address);
 * other http(s) stay; the rest is dropped.
 */
function target(url: string, hasPage: (id: string) => boolean): { href: string; internal: boolean } | undefined {
  const t = /^https?:\/\/attack\.mitre\.org\/techniques\/(T\d{4})(?:\/(\d{3}))?\/?$/i.exec(url)
  if (t) {
    const id = `${t[1]?.toLowerCase()}${t[2] ? `.${t[2]}` : ""}`
    return hasPage(id) ? { href: `/techniques/${id}/`, internal: true } : { href: url, internal: false }
  }
  const ta = /^https?:\/\/attack\.mitre\.org\/tactics\/(TA\d{4})\/?$/i.exec(url)
  if (ta) return { href: url, internal: false }
  return /^https?:\/\/[^\s]+$/i.test(url) ? { href: url, internal: false } : undefined
}

const INLINE = /\[([^\]]+)\]\(([^)\s]+)\)|<code>([\s\S]*?)<\/code>|`([^`]+)`|\*\*([^*]+)\*\*/g

function spans(line: string, hasPage: (id: string) => boolean): Span[] {
  const out: Span[] = []
  let last = 0
  for (const m of line.matchAll(INLINE)) {
    if (m.index > last) out.push({ text: line.slice(last, m.index) })
    if (m[1] !== undefined && m[2] !== undefined) {
      const to = target(m[2], hasPage)
      out.push(to ? { text: m[1], ...to } : { text: m[1] })
    } else if (m[3] !== undefined) out.push({ code: m[3] })
    else if (m[4] !== undefined) out.push({ code: m[4] })
    else if (m[5] !== undefined) out.push({ strong: m[5] })
    last = m.index + m[0].length
  }
  if (last < line.length) out.push({ text: line.slice(last) })
  return out.filter((s) => !("text" in s) || s.text !== "" || "href" in s)
}

/** ATT&CK's Markdown as blocks of safe spans (see the module comment). */
export function parseDescription(text: string, hasPage: (id: string) => boolean = () => true): Block[] {
  const blocks: Block[] = []
  for (const chunk of stripCitations(text)
    .replace(/<br\s*\/?>/gi, "\n")
    .split(/\n\s*\n/)) {
    const lines = chunk
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
    let para: string[] = []
    const flush = () => {
      if (para.length) blocks.push({ kind: "p", spans: spans(para.join(" "), hasPage) })
      para = []
    }
    for (const line of lines) {
      const item = /^(?:[*-]|\d+\.)\s+(.*)$/.exec(line)
      const heading = /^#{1,6}\s+(.*)$/.exec(line)
      if (item) {
        flush()
        blocks.push({ kind: "li", spans: spans(item[1] ?? "", hasPage) })
      } else if (heading) {
        flush()
        blocks.push({ kind: "h", spans: spans(heading[1] ?? "", hasPage) })
      } else para.push(line)
    }
    flush()
  }
  return blocks
}
