/**
 * Raw Windows process-creation events (Sysmon EventID 1, Security 4688) → the CIM
 * Endpoint.Processes fields Splunk's add-ons derive, so a pasted raw event reaches data-model
 * rules too.
 *
 * Owns: telling the two events apart and applying the CIM mapping tables of mappings.ts.
 * Invariants: pure; derived fields never overwrite a field the event already carries.
 * Never imports: React, Next, Node built-ins, DOM APIs; no lib/ folder but lib/predicate and lib/source.
 */
import type { Event, EventValue } from "../predicate/types.ts"
import { CIM_FROM_WINDOWS } from "./mappings.ts"
import { basename } from "./process.ts"

const str = (v: EventValue): string | undefined =>
  v === null || v === undefined ? undefined : Array.isArray(v) ? v[0] : String(v)

/** Which Windows process-creation event a flat event is, if any. */
export function windowsKind(e: Event): "sysmon" | "security4688" | undefined {
  const id = str(e.EventCode) ?? str(e.EventID)
  const origin = `${str(e.Channel) ?? ""} ${str(e.ProviderName) ?? ""} ${str(e.source) ?? ""}`
  if (id === "1" && (/sysmon/i.test(origin) || e.Image !== undefined)) return "sysmon"
  if (id === "4688") return "security4688"
  return undefined
}

/** Adds the CIM Endpoint.Processes fields of a Sysmon 1 / 4688 event (table CIM_FROM_WINDOWS); other events unchanged. */
export function withCimFields(e: Event): Event {
  const kind = windowsKind(e)
  if (!kind) return e
  const out: Event = { ...e }
  const put = (k: string, v: EventValue) => {
    if (v !== undefined && v !== null && v !== "" && (out[k] === undefined || out[k] === null)) out[k] = v
  }
  if (out.EventCode === undefined && out.EventID !== undefined) out.EventCode = out.EventID
  const table = CIM_FROM_WINDOWS[kind]
  for (const row of table) {
    if ("constant" in row) put(row.cim, row.constant)
    else if ("user" in row) {
      const u = str(e[row.user])
      const domain = str(e[row.domain])
      put(row.cim, u ? (domain ? `${domain}\\${u}` : u) : e[row.fallback])
    } else {
      const v = row.from.map((f) => str(e[f])).find((x) => x !== undefined)
      put(row.cim, v !== undefined && row.basename ? basename(v) : v)
    }
  }
  return out
}
