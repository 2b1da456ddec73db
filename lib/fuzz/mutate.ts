/**
 * Seeded mutation of real-format text for fuzzing: a small PRNG and the mutators that turn a
 * seed (an SPL search, a pasted event, a command line) into a hostile neighbour of it.
 *
 * Owns: the mutation vocabulary (quotes, brackets, pipes, macro backticks, operators, unicode,
 * long runs, regex traps) and how many mutations an input gets.
 * Invariants: pure and deterministic for a given seed: the same `rng` sequence gives the same
 * inputs, so a finding can be replayed from its seed and index.
 * Never imports: React, Next, Node built-ins.
 */

/** A uniform float in [0, 1). */
export type Rng = () => number

/** mulberry32: tiny, fast and good enough to spread mutations. */
export function rng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const int = (r: Rng, n: number): number => Math.floor(r() * n)
export const pick = <T>(r: Rng, items: readonly T[]): T => items[int(r, items.length)] as T

/** Tokens that stress SPL, eval, regex, JSON and XML readers. */
export const TOKENS: readonly string[] = [
  '"',
  "'",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  "|",
  "`",
  "\\",
  "\\\\",
  '\\"',
  "*",
  "**",
  "?",
  ",",
  "=",
  "!=",
  "==",
  "<",
  "<=",
  ">",
  ">=",
  " NOT ",
  " OR ",
  " AND ",
  " XOR ",
  " IN (",
  " LIKE ",
  "TERM(",
  "CASE(",
  "search ",
  "| search ",
  "| where ",
  "| eval x=",
  "| stats count by ",
  "| tstats count from datamodel=Endpoint.Processes where ",
  "| regex _raw=",
  "| rex field=_raw ",
  "| fillnull ",
  "| rename x AS ",
  "match(",
  "like(",
  "cidrmatch(",
  "isnull(",
  "lower(",
  "len(",
  "if(",
  "case(",
  "coalesce(",
  "mvindex(",
  "replace(",
  "```",
  "`",
  "`sysmon`",
  "`unknown_macro(1,2)`",
  "$arg$",
  "%",
  "_",
  "earliest=-24h",
  "index=",
  "sourcetype=",
  "tag::",
  "Processes.",
  "(?i)",
  "(a+)+$",
  "(?=x)",
  "\\1",
  "[^",
  "{1000}",
  ".*.*.*",
  "\\Z",
  "10.0.0.0/8",
  "::1/128",
  "300.1.2.3/33",
  "é",
  "ß",
  "İ",
  "\u0000",
  "\u200b",
  "\u202e",
  "\ufeff",
  "😀",
  "\ud800",
  "\udfff",
  "\r\n",
  "\t",
  "\n",
  " ",
  "1e309",
  "-0",
  "NaN",
  "0x1F",
  "99999999999999999999",
  "true",
  "null",
  "<Event>",
  "</Event>",
  "<Data Name='CommandLine'>",
  "</Data>",
  "<![CDATA[",
  "]]>",
  "&amp;",
  "&#x0;",
  "&lt;script&gt;",
  '{"Event":',
  "}",
  "[{",
  "}]",
  ":",
  '"EventCode": 1',
  "<script>alert(1)</script>",
  "javascript:alert(1)",
]

/** One mutation of `s`; `other` (another seed) feeds crossover. */
function mutateOnce(r: Rng, s: string, other: string): string {
  const at = int(r, s.length + 1)
  switch (int(r, 9)) {
    case 0: // truncate
      return s.slice(0, at)
    case 1: // insert a token
      return s.slice(0, at) + pick(r, TOKENS) + s.slice(at)
    case 2: {
      // delete a span
      const len = 1 + int(r, 20)
      return s.slice(0, at) + s.slice(at + len)
    }
    case 3: {
      // duplicate a span
      const len = 1 + int(r, 40)
      return s.slice(0, at + len) + s.slice(at, at + len) + s.slice(at + len)
    }
    case 4: {
      // replace one character with any code unit
      const ch = String.fromCharCode(r() < 0.8 ? 32 + int(r, 95) : int(r, 0x10000))
      return s.slice(0, at) + ch + s.slice(at + 1)
    }
    case 5: {
      // crossover with another seed
      const cut = int(r, other.length + 1)
      return s.slice(0, at) + other.slice(cut)
    }
    case 6: {
      // repeat a token many times (nesting, long chains)
      const token = pick(r, TOKENS)
      return s.slice(0, at) + token.repeat(1 + int(r, 300)) + s.slice(at)
    }
    case 7: {
      // a long unbroken run
      return s.slice(0, at) + pick(r, ["a", "*", "\\", "%", "é", "0"]).repeat(1 + int(r, 5000)) + s.slice(at)
    }
    default: {
      // swap two halves around a point
      return s.slice(at) + s.slice(0, at)
    }
  }
}

/** 1 to 4 mutations of a seed. */
export function mutate(r: Rng, seed: string, seeds: readonly string[]): string {
  let s = seed
  const n = 1 + int(r, 4)
  for (let i = 0; i < n; i++) s = mutateOnce(r, s, pick(r, seeds))
  return s
}
