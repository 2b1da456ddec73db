import { readFileSync } from "node:fs"

import { bundledThemes } from "shiki"
import { describe, expect, it } from "vitest"

import { HIGHLIGHT_THEME, TOKEN_CLASSES, highlight } from "./highlight.ts"

const css = readFileSync(new URL("../app/globals.css", import.meta.url), "utf8")

/** The text a browser shows for a block of our HTML (tags dropped, entities decoded). */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
}

const RULE = `name: WMIC Remote Process Launch
id: a6b7e983-fccc-431a-be0f-81a745da237e
search: '| tstats \`security_content_summariesonly\` count from datamodel=Endpoint.Processes
  where Processes.process_name=wmic.exe Processes.process="*/node:*" by Processes.dest'
tags: # a comment with <b>markup</b> & "quotes"
  - attack.t1047
`

describe("highlight", () => {
  it("keeps the code as the block's text, escaped", async () => {
    const html = await highlight(RULE, "yaml")
    expect(text(html.replace(/^<pre[^>]*><code>/, "").replace(/<\/code><\/pre>$/, ""))).toBe(RULE)
    expect(html).not.toContain("<b>markup</b>")
  })

  it("colours tokens with classes, never inline styles", async () => {
    for (const [code, lang] of [
      [RULE, "yaml"],
      [
        '| tstats count from datamodel=Endpoint.Processes where Processes.process_name="wmic.exe" by Processes.dest | `drop_dm_object_name(Processes)`',
        "splunk",
      ],
      ['{"EventID": 1, "Image": "C:\\\\Windows\\\\System32\\\\wbem\\\\WMIC.exe", "ok": true, "n": null}', "json"],
      [
        '<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><!-- c --><Data Name="Image">x</Data></Event>',
        "xml",
      ],
    ] as const) {
      const html = await highlight(code, lang)
      expect(html, lang).not.toContain("style=")
      expect(html, lang).toMatch(/class="t\d+/)
      expect(text(html), lang).toBe(code)
    }
  })

  it("has a CSS rule in app/globals.css for every colour of the theme", async () => {
    const theme = (await bundledThemes[HIGHLIGHT_THEME]()).default
    const fg = theme.colors?.["editor.foreground"]?.toLowerCase()
    const colours = new Set(
      (theme.tokenColors ?? [])
        .map((t) => t.settings.foreground?.toLowerCase())
        .filter((c): c is string => Boolean(c) && c !== fg),
    )
    expect(colours.size).toBeGreaterThan(5)
    for (const colour of colours) {
      const name = TOKEN_CLASSES[colour]
      expect(name, colour).toBeDefined()
      // Any layout of the rule: the stylesheet is formatted by Prettier.
      expect(css.replace(/\s+/g, " "), colour).toContain(`.shiki .${name} { color: ${colour}; }`)
    }
  })

  it("shows very long inputs plain", async () => {
    const long = "a: <x>\n".repeat(40_000)
    const html = await highlight(long, "yaml")
    expect(html).not.toContain("<span")
    expect(text(html)).toBe(long)
  })
})
