import { spawnSync } from "node:child_process"

import { describe, expect, it } from "vitest"

const atlas = (...args: string[]) => spawnSync("npx", ["tsx", "lib/cli.ts", ...args], { encoding: "utf8" })

describe("atlas arguments", () => {
  it("refuses an unknown flag and a flag without its value, with the usage, exit 2", () => {
    for (const [args, message] of [
      [["validate", "--contnet", "x"], /Unknown option '--contnet'/],
      [["validate", "--content"], /'--content <value>' argument missing/],
      [["validate", "--content", "--json"], /'--content' argument is ambiguous/],
      [["match", "--near", "x", "--cmd", "a"], /--near expects a whole number/],
    ] as const) {
      const r = atlas(...args)
      expect(r.status, args.join(" ")).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).toContain("usage: atlas <command>")
      expect(r.stdout).toBe("")
    }
  }, 60_000)
})
