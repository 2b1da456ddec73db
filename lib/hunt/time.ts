/**
 * Time in a hunt: reading an event's time into Splunk's `_time` (epoch seconds) and the `span=`
 * buckets of `bin`/`bucket` and `tstats … BY _time span=`.
 *
 * Owns: the accepted time spellings (epoch seconds or milliseconds, ISO 8601, Windows
 * `SystemTime`), span parsing and flooring.
 *
 * Invariants: pure; buckets are aligned to the Unix epoch in UTC (Splunk aligns day spans to the
 * search head's local midnight; a log read here has no time zone to align to). An unreadable time
 * is undefined, never a guess.
 *
 * Must never import: React, Next, Node built-ins.
 */

/** Event fields holding the event's time, in the order they are tried. */
export const TIME_FIELDS = ["_time", "time", "@timestamp", "timestamp", "TimeCreated", "SystemTime", "UtcTime"]

/** Epoch seconds from a time value, or undefined when it is not a time. */
export function parseTime(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? (v > 1e11 ? v / 1000 : v) : undefined
  if (typeof v !== "string") return undefined
  const s = v.trim()
  if (s === "") return undefined
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s)
    return n > 1e11 ? n / 1000 : n
  }
  // `2024-01-02 03:04:05.123` (Sysmon UtcTime) is UTC; ISO with a zone keeps its zone.
  let iso = s.replace(/^(\d{4}-\d{2}-\d{2}) (\d)/, "$1T$2")
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(iso)) iso += "Z"
  // JavaScript reads at most milliseconds; Windows writes 7 fraction digits.
  iso = iso.replace(/(\.\d{3})\d+/, "$1")
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? undefined : ms / 1000
}

/** The time of an event from the first field of TIME_FIELDS it carries. */
export function eventTime(event: Readonly<Record<string, unknown>>): number | undefined {
  for (const f of TIME_FIELDS) {
    const v = event[f]
    if (v === undefined || v === null) continue
    const t = parseTime(Array.isArray(v) ? v[0] : v)
    if (t !== undefined) return t
  }
  return undefined
}

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
  w: 604800,
  week: 604800,
  weeks: 604800,
}

/** Seconds of a `span=` value (`1m`, `10m`, `2h`, `1d`, `30s`, a bare number of seconds), or undefined. */
export function parseSpan(text: string): number | undefined {
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim().replace(/^"|"$/g, ""))
  if (!m) return undefined
  const n = Number(m[1])
  const unit = (m[2] ?? "").toLowerCase()
  const mult = unit === "" ? 1 : UNITS[unit]
  return mult === undefined || n <= 0 ? undefined : n * mult
}

/** The start of the span holding `t` (epoch seconds). */
export function floorTime(t: number, span: number): number {
  return Math.floor(t / span) * span
}

/** ISO text of epoch seconds, for reports. */
export function isoTime(t: number | undefined): string | undefined {
  if (t === undefined || !Number.isFinite(t)) return undefined
  return new Date(t * 1000).toISOString()
}
