import { readFileSync } from "node:fs"
import { join } from "node:path"

import { describe, expect, it } from "vitest"

import {
  eventLogsources,
  flattenEvtx,
  flattenJson,
  logsourceAdmits,
  logsourceCoverage,
  PROCESS_CREATION,
  processCreationEvent,
} from "./index.ts"

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(join(import.meta.dirname, "__fixtures__", name), "utf8"))

describe("evtx JSON → Sigma fields", () => {
  it("flattens System and EventData, attributes as Element_Attr", () => {
    const e = flattenEvtx(fixture("sysmon-1.json"))
    expect(e).toMatchObject({
      EventID: 1,
      Channel: "Microsoft-Windows-Sysmon/Operational",
      Provider_Name: "Microsoft-Windows-Sysmon",
      Security_UserID: "S-1-5-18",
      Execution_ProcessID: 2210,
      Image: "C:\\Windows\\System32\\wbem\\WMIC.exe",
      ProcessId: 5120,
      Keywords: "0x8000000000000000",
    })
    expect(e.Correlation).toBeUndefined()
  })
  it("lets UserData names win over System names", () => {
    const e = flattenEvtx(fixture("system-104.json"))
    expect(e.Channel).toBe("Security")
    expect(e.SubjectUserName).toBe("bob")
    expect(e.EventID).toBe(104)
  })
  it("removes spaces from names, exposes unnamed Data as a multi-valued field, reads EventID #text", () => {
    const e = flattenEvtx({
      System: {
        EventID: { "#attributes": { Qualifiers: 16384 }, "#text": 7045 },
        Channel: "Microsoft-Windows-Windows Defender/Operational",
      },
      EventData: { "Threat Name": "Trojan:X", Path: "C:\\x.exe", Data: [{ "#text": "Install-TransportAgent" }, "two"] },
    })
    expect(e.EventID).toBe(7045)
    expect(e.EventID_Qualifiers).toBe(16384)
    expect(e.ThreatName).toBe("Trojan:X")
    expect(e.Signature).toBe("Trojan:X")
    expect(e.Filename).toBe("C:\\x.exe")
    expect(e.Data).toEqual(["Install-TransportAgent", "two"])
  })
  it("maps Security 4688 process names to Image and ParentImage", () => {
    const e = flattenEvtx({
      Event: {
        System: { EventID: 4688, Channel: "Security" },
        EventData: { NewProcessName: "C:\\a.exe", ParentProcessName: "C:\\p.exe" },
      },
    })
    expect(e.Image).toBe("C:\\a.exe")
    expect(e.ParentImage).toBe("C:\\p.exe")
  })
  it("flattens other JSON to dotted paths", () => {
    expect(flattenJson({ protoPayload: { serviceName: "iam" }, id: { orig_h: "1.2.3.4" }, tags: ["a"] })).toEqual({
      "protoPayload.serviceName": "iam",
      "id.orig_h": "1.2.3.4",
      tags: ["a"],
    })
  })
})

describe("command line → process_creation event", () => {
  it("builds Sigma's field names for a WMI remote process command", () => {
    const e = processCreationEvent({
      cmd: "wmic /node:10.0.0.5 process call create calc.exe",
      parent: "cmd.exe /c run.bat",
    })
    expect(e).toMatchObject({
      EventID: 1,
      Image: "C:\\Windows\\System32\\wbem\\wmic.exe",
      CommandLine: "wmic /node:10.0.0.5 process call create calc.exe",
      ParentImage: "C:\\Windows\\System32\\cmd.exe",
    })
    expect(eventLogsources(e)).toContainEqual({ product: "windows", category: "process_creation", service: "sysmon" })
  })
})

describe("logsource gate", () => {
  const sysmon1 = eventLogsources(flattenEvtx(fixture("sysmon-1.json")))
  it.each([
    [{ product: "windows", category: "process_creation" }, true],
    [{ category: "process_creation" }, true],
    [{ product: "windows", service: "sysmon" }, true],
    [{ product: "linux", category: "process_creation" }, false],
    [{ product: "windows", category: "network_connection" }, false],
    [{ product: "windows", service: "security" }, false],
    [{ product: "zeek", service: "rdp" }, false],
  ])("%o admitted: %s", (rule, expected) => {
    expect(logsourceAdmits(rule, sysmon1)).toBe(expected)
  })
  it("Security 4688 is process_creation too; Security 4624 is not", () => {
    expect(logsourceAdmits(PROCESS_CREATION, eventLogsources({ Channel: "Security", EventID: 4688 }))).toBe(true)
    expect(logsourceAdmits(PROCESS_CREATION, eventLogsources({ Channel: "Security", EventID: 4624 }))).toBe(false)
    expect(
      logsourceAdmits(
        { product: "windows", service: "security" },
        eventLogsources({ Channel: "Security", EventID: 4624 }),
      ),
    ).toBe(true)
  })
  it("registry_add needs EventType CreateKey", () => {
    expect(
      logsourceAdmits(
        { product: "windows", category: "registry_add" },
        eventLogsources({ Channel: "Microsoft-Windows-Sysmon/Operational", EventID: 12, EventType: "CreateKey" }),
      ),
    ).toBe(true)
    expect(
      logsourceAdmits(
        { product: "windows", category: "registry_add" },
        eventLogsources({ Channel: "Microsoft-Windows-Sysmon/Operational", EventID: 12, EventType: "DeleteKey" }),
      ),
    ).toBe(false)
  })
  it("an event of unknown origin admits nothing", () => {
    expect(logsourceAdmits({ category: "process_creation" }, eventLogsources({ CommandLine: "x" }))).toBe(false)
  })
})

describe("event coverage rows", () => {
  it("process_creation → Sysmon 1 and Security 4688", () => {
    expect(logsourceCoverage({ product: "windows", category: "process_creation" })).toEqual([
      { provider: "Sysmon", event: "Event ID 1", title: "Process creation", dataSource: "Sysmon EventID 1" },
      {
        provider: "Security-Auditing",
        event: "Event ID 4688",
        title: "A new process has been created.",
        dataSource: "Windows Event Log Security 4688",
      },
    ])
  })
  it("service rules list the event ids their detection tests", () => {
    expect(logsourceCoverage({ product: "windows", service: "security" }, ["4698"])).toEqual([
      {
        provider: "Security-Auditing",
        event: "Event ID 4698",
        title: "A scheduled task was created.",
        dataSource: "Windows Event Log Security 4698",
      },
    ])
  })
  it("other products name their product and category", () => {
    expect(logsourceCoverage({ product: "linux", category: "process_creation" })).toEqual([
      { provider: "linux", event: "process_creation", title: "", dataSource: "linux / process_creation" },
    ])
  })
})
