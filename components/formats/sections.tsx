/**
 * The shared renderer of the data blocks a rule format returns for its pages
 * (RuleFormat.pageSections), and the Markdown view of author text. Names no format.
 */
import { Fragment } from "react"

import type { PageBlock, PageSection } from "@/lib/formats/types"
import { isCodeLanguage } from "@/lib/highlight"
import { parseMarkdown, type Block, type Inline } from "@/lib/markdown"
import { CodeBlock } from "@/components/rules/code-block"
import { PredicateTree } from "@/components/rules/predicate-tree"
import { Section } from "@/components/ui/section"

/**
 * The sections a rule format adds to its rules' pages (RuleFormat.pageSections), rendered from
 * their data blocks. Every value is rule text and is rendered as React text; author Markdown goes
 * through lib/markdown (no raw HTML, safe link targets only).
 */
export function FormatSections({ sections, after }: { sections: PageSection[]; after: PageSection["after"] }) {
  return (
    <>
      {sections
        .filter((s) => s.after === after)
        .map((s) => (
          <Section key={s.id} id={s.id} title={s.title}>
            <div className="space-y-4">
              {s.blocks.map((b, i) => (
                <BlockView key={i} block={b} />
              ))}
            </div>
          </Section>
        ))}
    </>
  )
}

function BlockView({ block }: { block: PageBlock }) {
  switch (block.kind) {
    case "text":
      return <p className="break-anywhere whitespace-pre-line text-slate-800">{block.text}</p>
    case "markdown":
      return <Markdown text={block.markdown} />
    case "code":
      return <CodeBlock code={block.code} lang={isCodeLanguage(block.lang) ? block.lang : "text"} label={block.label} />
    case "predicate":
      return (
        <div>
          <h3 className="mb-1 text-sm font-semibold">{block.label}</h3>
          <PredicateTree predicate={block.predicate} />
        </div>
      )
    case "facts":
      return (
        <dl aria-label={block.label} className="grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
          {block.rows.map((r) => (
            <div key={r.label} className="contents">
              <dt className="font-semibold text-slate-700">{r.label}</dt>
              <dd className="break-anywhere text-slate-800">{Array.isArray(r.value) ? r.value.join(", ") : r.value}</dd>
            </div>
          ))}
        </dl>
      )
    case "table":
      return (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="mb-1 text-left font-semibold text-slate-700">{block.label}</caption>
            <thead>
              <tr>
                {block.columns.map((c) => (
                  <th key={c} scope="col" className="border-b border-slate-300 py-1 pr-4">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className="break-anywhere border-b border-slate-100 py-1 pr-4 font-mono text-xs">
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )
    case "analysis":
      return null
  }
}

/** Author Markdown as React elements; headings start at h3 inside a page section. */
export function Markdown({ text }: { text: string }) {
  return (
    <div data-slot="markdown" className="space-y-2 text-slate-800">
      {parseMarkdown(text).map((b, i) => (
        <MdBlock key={i} block={b} />
      ))}
    </div>
  )
}

function MdBlock({ block }: { block: Block }) {
  switch (block.t) {
    case "heading": {
      const Tag = (["h3", "h3", "h4", "h5", "h6", "h6"] as const)[block.level - 1] ?? "h6"
      return (
        <Tag className="mt-3 font-semibold">
          <MdInline nodes={block.inline} />
        </Tag>
      )
    }
    case "paragraph":
      return (
        <p className="break-anywhere leading-relaxed">
          <MdInline nodes={block.inline} />
        </p>
      )
    case "code":
      return (
        <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-sm" tabIndex={0}>
          {block.text}
        </pre>
      )
    case "list": {
      const Tag = block.ordered ? "ol" : "ul"
      return (
        <Tag className={`${block.ordered ? "list-decimal" : "list-disc"} space-y-1 pl-6`}>
          {block.items.map((item, i) => (
            <li key={i} className="break-anywhere">
              <MdInline nodes={item.inline} />
              {item.children.map((c, j) => (
                <MdBlock key={j} block={c} />
              ))}
            </li>
          ))}
        </Tag>
      )
    }
  }
}

function MdInline({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((n, i) => {
        switch (n.t) {
          case "text":
            return <Fragment key={i}>{n.text}</Fragment>
          case "code":
            return (
              <code key={i} className="rounded bg-slate-100 px-1 font-mono text-sm">
                {n.text}
              </code>
            )
          case "strong":
            return (
              <strong key={i}>
                <MdInline nodes={n.children} />
              </strong>
            )
          case "em":
            return (
              <em key={i}>
                <MdInline nodes={n.children} />
              </em>
            )
          case "link":
            return (
              <a key={i} href={n.href} rel="noopener noreferrer nofollow" className="text-sky-700 underline">
                <MdInline nodes={n.children} />
              </a>
            )
        }
      })}
    </>
  )
}
