import { Fragment } from "react"

import { parseMarkdown, type Block, type Inline } from "@/lib/markdown"

/**
 * Author Markdown (an investigation guide, setup notes) as React elements, from lib/markdown's
 * tree: never raw HTML, links only to http(s) and mailto targets. Headings start at h3, inside a
 * page section.
 */
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
