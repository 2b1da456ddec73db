/**
 * CPU time (user + system, ms) of this process's finished, waited-for children and their
 * waited-for descendants, from /proc/self/stat (Linux; undefined elsewhere). Around a spawnSync it
 * gives what the child cost the machine: steadier than wall time when disk writeback or another
 * process competes, which made export timings on these two-core machines vary by ±10 %.
 */
import { readFileSync } from "node:fs"

/** Clock ticks per second: 100 on every Linux build Node runs on. */
const TICKS = 100

export function childCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8")
    // Fields after the command name (which may hold spaces, inside parentheses): cutime and
    // cstime are fields 16 and 17 of the whole line, 14 and 15 after ") ".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS
  } catch {
    return undefined
  }
}

/** Runs `fn` (a synchronous spawn) and measures its children's CPU time; undefined where the OS does not tell. */
export function measureChildCpu<T>(fn: () => T): { result: T; cpuMs: number | undefined } {
  const before = childCpuMs()
  const result = fn()
  const after = childCpuMs()
  return { result, cpuMs: before !== undefined && after !== undefined ? after - before : undefined }
}
