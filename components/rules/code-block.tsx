import { highlight, type CodeLanguage } from "@/lib/highlight"

import { CopyButton } from "./copy-button.client"

/**
 * A highlighted, copyable code block. Highlighting happens at build time; the copy button reads the code
 * from the page. `wrap` folds long lines instead of scrolling them: a query is read whole (a Splunk search
 * or an EQL query is often one line of a thousand characters, most of it past the box's right edge).
 */
export async function CodeBlock({
  code,
  lang,
  label,
  wrap = false,
}: {
  code: string
  lang: CodeLanguage
  label: string
  wrap?: boolean
}) {
  const html = await highlight(code, lang)
  return (
    <figure
      className="relative rounded-md border border-slate-200"
      data-slot="code-block"
      data-lang={lang}
      data-wrap={wrap ? "" : undefined}
    >
      <figcaption className="flex items-center justify-between gap-2 border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs text-slate-600">
        {/* A long file path wraps rather than pushing the copy button off a phone's screen. */}
        <span className="min-w-0 break-all">{label}</span>
        <span className="shrink-0">
          <CopyButton label="Copy" />
        </span>
      </figcaption>
      {/* lib/highlight escapes the code; the only markup here is its own spans. */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </figure>
  )
}
