import { highlight, type CodeLanguage } from "@/lib/highlight"

import { CopyButton } from "./copy-button.client"

/** A highlighted, copyable code block. Highlighting happens at build time; the copy button reads the code from the page. */
export async function CodeBlock({ code, lang, label }: { code: string; lang: CodeLanguage; label: string }) {
  const html = await highlight(code, lang)
  return (
    <figure className="relative rounded-md border border-slate-200" data-slot="code-block" data-lang={lang}>
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
