import { describe, expect, it } from "vitest"

import { buildProcessEvents, EventParseError, inferImage, parseEvents, splitCommandLine } from "./event.ts"

describe("command line → image", () => {
  it("reads a quoted path with spaces and keeps the arguments", () => {
    const i = inferImage('"C:\\Program Files\\7-Zip\\7z.exe" a -p"se cret" out.7z')
    expect(i).toMatchObject({
      path: "C:\\Program Files\\7-Zip\\7z.exe",
      name: "7z.exe",
      args: 'a -p"se cret" out.7z',
      inferredDir: false,
    })
  })
  it("reads a logged system path as is", () => {
    expect(inferImage('"C:\\Windows\\System32\\certutil.exe" -decode a b')).toMatchObject({
      path: "C:\\Windows\\System32\\certutil.exe",
      name: "certutil.exe",
    })
  })
  it("adds .exe and the real folder of known system binaries only", () => {
    expect(inferImage("certutil -decode a b")).toMatchObject({
      path: "C:\\Windows\\System32\\certutil.exe",
      name: "certutil.exe",
      inferredDir: true,
    })
    expect(inferImage("wmic /node:x process call create y")).toMatchObject({
      path: "C:\\Windows\\System32\\wbem\\wmic.exe",
      name: "wmic.exe",
    })
    expect(inferImage("evil -x")).toMatchObject({ path: "evil.exe", name: "evil.exe", inferredDir: false })
    expect(inferImage("tool.bat /q")).toMatchObject({ path: "tool.bat", name: "tool.bat" })
  })
  it("keeps arguments with quotes untouched", () => {
    expect(splitCommandLine('cmd.exe /c "echo "a b" > x"')).toEqual({ token: "cmd.exe", args: '/c "echo "a b" > x"' })
  })
  it("reads UNC paths, quoted or not", () => {
    expect(inferImage("\\\\fs01\\share\\payload.exe -run")).toMatchObject({
      path: "\\\\fs01\\share\\payload.exe",
      name: "payload.exe",
    })
    expect(inferImage('"\\\\fs01\\my share\\x" /y')).toMatchObject({
      path: "\\\\fs01\\my share\\x.exe",
      name: "x.exe",
      args: "/y",
    })
  })
  it("resolves an unquoted path with spaces the way Windows does", () => {
    expect(inferImage("C:\\Program Files\\App\\app.exe --flag")).toMatchObject({
      path: "C:\\Program Files\\App\\app.exe",
      args: "--flag",
    })
  })
  it("leaves Unix paths without .exe", () => {
    expect(inferImage("/usr/bin/curl -s x")).toMatchObject({ path: "/usr/bin/curl", name: "curl" })
  })
})

describe("buildProcessEvents", () => {
  const b = buildProcessEvents({
    cmd: "wmic /node:10.0.0.5 process call create calc.exe",
    parent: '"C:\\Windows\\System32\\cmd.exe" /c run.bat',
    user: "CORP\\bob",
    host: "ws-042",
  })
  it("fills the CIM shape", () => {
    expect(b.shapes.cim).toEqual({
      process: "wmic /node:10.0.0.5 process call create calc.exe",
      process_name: "wmic.exe",
      original_file_name: "wmic.exe",
      process_path: "C:\\Windows\\System32\\wbem\\wmic.exe",
      process_exec: "wmic.exe",
      parent_process: '"C:\\Windows\\System32\\cmd.exe" /c run.bat',
      parent_process_name: "cmd.exe",
      parent_process_path: "C:\\Windows\\System32\\cmd.exe",
      parent_process_exec: "cmd.exe",
      user: "CORP\\bob",
      dest: "ws-042",
      action: "allowed",
      vendor_product: "Microsoft Sysmon",
    })
  })
  it("fills Sysmon 1 and Security 4688", () => {
    expect(b.shapes.sysmon).toMatchObject({
      Image: "C:\\Windows\\System32\\wbem\\wmic.exe",
      ParentImage: "C:\\Windows\\System32\\cmd.exe",
      User: "CORP\\bob",
      Computer: "ws-042",
      EventCode: "1",
      source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",
      sourcetype: "xmlwineventlog",
    })
    expect(b.shapes.security4688).toMatchObject({
      NewProcessName: "C:\\Windows\\System32\\wbem\\wmic.exe",
      Process_Command_Line: b.shapes.cim?.process,
      CommandLine: b.shapes.cim?.process,
      ParentProcessName: "C:\\Windows\\System32\\cmd.exe",
      EventCode: "4688",
      source: "XmlWinEventLog:Security",
    })
  })
  it("takes a bare parent image, an original-name override and extra fields", () => {
    const c = buildProcessEvents({
      cmd: "cmd /c whoami",
      parent: "winword.exe",
      originalFileName: "X.EXE",
      fields: { dest: "h1" },
    })
    expect(c.shapes.cim).toMatchObject({
      parent_process_name: "winword.exe",
      parent_process_path: "winword.exe",
      original_file_name: "X.EXE",
      dest: "h1",
    })
    expect(buildProcessEvents({ cmd: "cmd /c whoami" }).shapes.sysmon?.OriginalFileName).toBe("Cmd.Exe")
  })
  it("rejects an empty command line", () => {
    expect(() => buildProcessEvents({ cmd: "  " })).toThrow(EventParseError)
  })
})

const SYSMON_XML = `<?xml version="1.0"?>
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f}'/><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws-042.corp</Computer><TimeCreated SystemTime='2024-01-01T00:00:00Z'/></System>
<EventData><Data Name='Image'>C:\\Windows\\System32\\wbem\\WMIC.exe</Data><Data Name='CommandLine'>wmic /node:&quot;10.0.0.5&quot; process call create calc</Data><Data Name='ParentImage'>C:\\Windows\\System32\\cmd.exe</Data><Data Name='User'>CORP\\bob</Data><Data Name='OriginalFileName'><![CDATA[wmic.exe]]></Data></EventData></Event>`

describe("parseEvents", () => {
  it("reads a flat JSON object and nests as dotted keys", () => {
    expect(parseEvents('{"process_name":"a.exe","n":3,"x":{"y":"z"},"l":["p","q"]}')).toEqual([
      { process_name: "a.exe", n: 3, "x.y": "z", l: ["p", "q"] },
    ])
  })
  it("reads concatenated objects, JSONL and arrays", () => {
    expect(parseEvents('{"a":"1"}{"a":"2"}\n{"a":"}"}')).toHaveLength(3)
    expect(parseEvents('[{"a":1},{"a":2}]')).toHaveLength(2)
  })
  it("reads evtx dumper JSON with a flat EventData (evtx_dump) and derives CIM fields", () => {
    const [e] = parseEvents(
      JSON.stringify({
        Event: {
          "#attributes": { xmlns: "x" },
          System: {
            Provider: { "#attributes": { Name: "Microsoft-Windows-Sysmon" } },
            EventID: 1,
            Channel: "Microsoft-Windows-Sysmon/Operational",
            Computer: "ws-042",
          },
          EventData: {
            Image: "C:\\Windows\\System32\\certutil.exe",
            CommandLine: "certutil -urlcache -f http://x/a a",
            ParentImage: "C:\\x\\p.exe",
            User: "bob",
          },
        },
      }),
    )
    expect(e).toMatchObject({
      EventID: "1",
      EventCode: "1",
      Channel: "Microsoft-Windows-Sysmon/Operational",
      Computer: "ws-042",
      ProviderName: "Microsoft-Windows-Sysmon",
      process_name: "certutil.exe",
      process_path: "C:\\Windows\\System32\\certutil.exe",
      process: "certutil -urlcache -f http://x/a a",
      parent_process_name: "p.exe",
      user: "bob",
      dest: "ws-042",
    })
  })
  it("reads xmltodict-style JSON with Data [{@Name, #text}] for 4688", () => {
    const [e] = parseEvents(
      JSON.stringify({
        Event: {
          System: { EventID: { "#text": "4688", "@Qualifiers": "" }, Channel: "Security", Computer: "dc1" },
          EventData: {
            Data: [
              { "@Name": "NewProcessName", "#text": "C:\\Windows\\System32\\net.exe" },
              { "@Name": "CommandLine", "#text": 'net group "domain admins" /domain' },
              { "@Name": "SubjectUserName", "#text": "bob" },
              { "@Name": "SubjectDomainName", "#text": "CORP" },
            ],
          },
        },
      }),
    )
    expect(e).toMatchObject({
      EventCode: "4688",
      NewProcessName: "C:\\Windows\\System32\\net.exe",
      Process_Command_Line: 'net group "domain admins" /domain',
      process_name: "net.exe",
      user: "CORP\\bob",
      dest: "dc1",
      vendor_product: "Microsoft Windows",
    })
  })
  it("reads Windows event XML with entities, CDATA and namespaces", () => {
    const [e] = parseEvents(SYSMON_XML)
    expect(e).toMatchObject({
      EventID: "1",
      Computer: "ws-042.corp",
      ProviderName: "Microsoft-Windows-Sysmon",
      SystemTime: "2024-01-01T00:00:00Z",
      CommandLine: 'wmic /node:"10.0.0.5" process call create calc',
      OriginalFileName: "wmic.exe",
      process_name: "WMIC.exe",
      original_file_name: "wmic.exe",
      parent_process_name: "cmd.exe",
      user: "CORP\\bob",
    })
    expect(
      parseEvents(
        `<Events>${SYSMON_XML.replace(/<\?xml[^>]*>/, "")}${SYSMON_XML.replace(/<\?xml[^>]*>/, "")}</Events>`,
      ),
    ).toHaveLength(2)
  })
  it("says what could not be read, with a position", () => {
    expect(() => parseEvents("")).toThrow(/empty/)
    expect(() => parseEvents("hello")).toThrow(/expected a JSON object .* or a Windows event in XML/)
    expect(() => parseEvents('{"a": 1,, "b": 2}')).toThrow(/invalid JSON.*\(line 1, column \d+\)/)
    expect(() => parseEvents('{"a": {"b": 1}')).toThrow(/unterminated JSON object.*\(line 1, column 1\)/)
    expect(() => parseEvents("<Event><System></Event>")).toThrow(
      /closing tag <\/Event> does not match <System>.*\(line 1, column 16\)/,
    )
    expect(() => parseEvents("<Event><System>")).toThrow(/never closed/)
    expect(() => parseEvents("<Foo/>")).toThrow(/no <Event> element/)
    expect(() => parseEvents("[1]")).toThrow(/expected a JSON object, found number/)
    try {
      parseEvents('{"a": 1}\n{"b": tru}')
    } catch (e) {
      expect(e).toBeInstanceOf(EventParseError)
      expect((e as EventParseError).position).toBeGreaterThanOrEqual(9)
    }
  })
})

describe("reader errors are positioned", () => {
  const bad: Array<[string, RegExp]> = [
    [
      '<Event><EventData>\n  <Data Name="x">a&#99999999;</Data></EventData></Event>',
      /character reference &#99999999; is not a character XML allows \(line 2, column 19\)/,
    ],
    [
      '<Event><EventData><Data Name="x">&#0;</Data></EventData></Event>',
      /&#0; is not a character XML allows \(line 1, column 34\)/,
    ],
    ['<Event Name="&nope;"></Event>', /entity &nope; is not defined .*\(line 1, column 14\)/],
    ["<Event><a></b></Event>", /does not match <a> .*\(line 1, column 11\)/],
    ['{"a": 1}\n[{"b": 2}, 7]', /expected a JSON object, found number in the array \(line 2, column 1\)/],
    [`{"a": ${"[".repeat(70)}${"]".repeat(70)}}`, /nests deeper than 64 levels \(line 1, column 70\)/],
    ["   ", /the event text is empty/],
  ]
  it.each(bad)("%s", (text, message) => {
    let err: unknown
    try {
      parseEvents(text)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(EventParseError)
    expect((err as EventParseError).message).toMatch(message)
    expect((err as EventParseError).line).toBeGreaterThan(0)
  })
  it("reads valid references", () => {
    expect(parseEvents('<Event><EventData><Data Name="x">&#x41;&#66;&amp;&lt;</Data></EventData></Event>')[0]?.x).toBe(
      "AB&<",
    )
  })
})
