import { highlight, type CodeLanguage } from "@/lib/highlight"

import { CopyButton } from "./copy-button.client"

/** A highlighted, copyable code block. Highlighting happens at build time; the copy button reads the code from the page. */
export async function CodeBlock({ code, lang, label }: { code: string; lang: CodeLanguage; label: string }) {
  const html = await highlight(code, lang)
  return (
    <figure className="relative rounded-md border border-slate-200" data-slot="code-block" data-lang={lang}>
      <figcaption className="flex items-center justify-between border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-xs text-slate-600">
        <span>{label}</span>
        <CopyButton label="Copy" />
      </figcaption>
      {/* lib/highlight escapes the code; the only markup here is its own spans. */}
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </figure>
  )
}
