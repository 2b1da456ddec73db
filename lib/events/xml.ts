/**
 * Pasted XML → flat events: a tiny tolerant XML reader (no DOM: it runs in a worker and in
 * Node) and the Windows `<Event>` layout (System, EventData, UserData) read into flat fields,
 * CIM fields derived for raw process events.
 *
 * Invariants: pure; throws only EventParseError, with the character offset when known.
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event } from "../predicate/types.ts"
import { EventParseError, MAX_DEPTH } from "./errors.ts"
import { withCimFields } from "./windows.ts"

export type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string; start: number }

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }
/**
 * Replaces XML character and entity references; `base` is where `s` starts in the pasted text, so
 * a bad reference (a code point XML does not allow, an entity XML does not define) is reported
 * where it is. A bare `&` is kept as written: hand-edited logs have them.
 */
function decodeEntities(s: string, base: number): string {
  if (!s.includes("&")) return s
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z][\w.-]*);/g, (m, e: string, at: number) => {
    if (e.startsWith("#")) {
      const hex = e.startsWith("#x")
      const digits = e.slice(hex ? 2 : 1)
      const cp = digits.length > 8 ? Number.POSITIVE_INFINITY : parseInt(digits, hex ? 16 : 10)
      // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
      const ok =
        cp === 0x9 ||
        cp === 0xa ||
        cp === 0xd ||
        (cp >= 0x20 && cp <= 0xd7ff) ||
        (cp >= 0xe000 && cp <= 0xfffd) ||
        (cp >= 0x10000 && cp <= 0x10ffff)
      if (!ok) throw new EventParseError(`character reference ${m} is not a character XML allows`, base + at)
      return String.fromCodePoint(cp)
    }
    const v = ENTITIES[e]
    if (v === undefined)
      throw new EventParseError(`entity ${m} is not defined (XML defines &lt; &gt; &amp; &quot; &apos;)`, base + at)
    return v
  })
}
const local = (name: string): string => name.slice(name.indexOf(":") + 1)

/** Parses XML text into element trees (several top-level elements allowed). */
export function parseXml(text: string): XmlNode[] {
  const roots: XmlNode[] = []
  const stack: XmlNode[] = []
  let i = 0
  const n = text.length
  const addText = (t: string) => {
    const top = stack[stack.length - 1]
    if (top) top.text += t
    else if (t.trim() !== "") throw new EventParseError(`text outside any element: "${t.trim().slice(0, 20)}"`, i)
  }
  while (i < n) {
    const lt = text.indexOf("<", i)
    if (lt < 0) {
      addText(decodeEntities(text.slice(i), i))
      break
    }
    if (lt > i) addText(decodeEntities(text.slice(i, lt), i))
    i = lt
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4)
      if (end < 0) throw new EventParseError("unterminated XML comment", i)
      i = end + 3
    } else if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9)
      if (end < 0) throw new EventParseError("unterminated CDATA section", i)
      addText(text.slice(i + 9, end))
      i = end + 3
    } else if (text.startsWith("<?", i) || text.startsWith("<!", i)) {
      const end = text.indexOf(">", i)
      if (end < 0) throw new EventParseError("unterminated XML declaration", i)
      i = end + 1
    } else if (text.startsWith("</", i)) {
      const end = text.indexOf(">", i)
      if (end < 0) throw new EventParseError("unterminated closing tag", i)
      const name = local(text.slice(i + 2, end).trim())
      const top = stack.pop()
      if (!top) throw new EventParseError(`closing tag </${name}> without an opening tag`, i)
      if (top.name !== name)
        throw new EventParseError(
          `closing tag </${name}> does not match <${top.name}> opened at character ${top.start}`,
          i,
        )
      i = end + 1
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
        text.slice(i, i + 4096),
      )
      if (!m?.[1]) throw new EventParseError(`malformed XML tag "${text.slice(i, i + 30).split("\n")[0] ?? ""}"`, i)
      const attrs: Record<string, string> = {}
      const attrsAt = i + 1 + m[1].length
      for (const a of (m[2] ?? "").matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        const value = a[2] ?? a[3] ?? ""
        // The value ends one character (its closing quote) before the match does.
        if (a[1]) attrs[local(a[1])] = decodeEntities(value, attrsAt + a.index + a[0].length - 1 - value.length)
      }
      const node: XmlNode = { name: local(m[1]), attrs, children: [], text: "", start: i }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(node)
      else roots.push(node)
      if (m[3] !== "/") {
        if (stack.length >= MAX_DEPTH)
          throw new EventParseError(`the XML nests elements deeper than ${MAX_DEPTH} levels`, i)
        stack.push(node)
      }
      i += m[0].length
    }
  }
  const open = stack[stack.length - 1]
  if (open) throw new EventParseError(`element <${open.name}> is never closed`, open.start)
  return roots
}

const child = (n: XmlNode, name: string): XmlNode | undefined => n.children.find((c) => c.name === name)

export function xmlEventToEvent(ev: XmlNode): Event {
  const out: Event = {}
  const sys = child(ev, "System")
  if (sys) {
    for (const c of sys.children) {
      if (c.name === "EventID") {
        out.EventID = c.text.trim()
        out.EventCode = c.text.trim()
      } else if (c.name === "Provider" && c.attrs.Name !== undefined) out.ProviderName = c.attrs.Name
      else if (c.name === "TimeCreated" && c.attrs.SystemTime !== undefined) out.SystemTime = c.attrs.SystemTime
      else if (c.name === "Security" && c.attrs.UserID !== undefined) out.UserID = c.attrs.UserID
      else if (c.children.length === 0 && c.text.trim() !== "") out[c.name] = c.text.trim()
    }
  }
  const unnamed: string[] = []
  for (const section of ["EventData", "UserData"]) {
    const data = child(ev, section)
    if (!data) continue
    for (const d of data.children) {
      if (d.name === "Data" && d.attrs.Name !== undefined) out[d.attrs.Name] = d.text
      else if (d.name === "Data") unnamed.push(d.text)
      else if (d.children.length) for (const g of d.children) out[g.name] = g.text
      else out[d.name] = d.text
    }
  }
  if (unnamed.length) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed
  return withCimFields(out)
}

export function findEvents(nodes: XmlNode[]): XmlNode[] {
  const out: XmlNode[] = []
  for (const n of nodes) {
    if (n.name === "Event") out.push(n)
    else out.push(...findEvents(n.children))
  }
  return out
}
