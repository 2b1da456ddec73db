/**
 * Pasted XML → flat events: a tiny tolerant XML reader (no DOM: it runs in a worker and in
 * Node) and the Windows `<Event>` layout (System, EventData, UserData) read into flat fields,
 * CIM fields derived for raw process events.
 *
 * Invariants: pure; throws only EventParseError, with the character offset when known.
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event } from "../predicate/types.ts"
import { EventParseError } from "./errors.ts"
import { withCimFields } from "./windows.ts"

export type XmlNode = { name: string; attrs: Record<string, string>; children: XmlNode[]; text: string; start: number }

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16))
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10))
    return ENTITIES[e] ?? m
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
      addText(decodeEntities(text.slice(i)))
      break
    }
    if (lt > i) addText(decodeEntities(text.slice(i, lt)))
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
      if (top.name !== name) throw new EventParseError(`closing tag </${name}> does not match <${top.name}> opened at character ${top.start}`, i)
      i = end + 1
    } else {
      const m = /^<([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(text.slice(i, i + 4096))
      if (!m?.[1]) throw new EventParseError(`malformed XML tag "${text.slice(i, i + 30).split("\n")[0] ?? ""}"`, i)
      const attrs: Record<string, string> = {}
      for (const a of (m[2] ?? "").matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1]) attrs[local(a[1])] = decodeEntities(a[2] ?? a[3] ?? "")
      }
      const node: XmlNode = { name: local(m[1]), attrs, children: [], text: "", start: i }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(node)
      else roots.push(node)
      if (m[3] !== "/") stack.push(node)
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
