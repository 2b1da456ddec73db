import type { MDXComponents } from "mdx/types"

/** Element map for MDX prose pages: typography comes from the `prose` wrapper in the layout. */
export const mdxComponents: MDXComponents = {
  a: ({ href, children }) => (
    <a href={href} className="text-sky-700 underline underline-offset-2 hover:text-sky-900">
      {children}
    </a>
  ),
  code: ({ children }) => <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.9em]">{children}</code>,
  pre: ({ children }) => (
    <pre className="overflow-x-auto rounded-md bg-slate-900 p-4 text-sm text-slate-50 [&_code]:bg-transparent [&_code]:p-0 [&_code]:text-slate-50">
      {children}
    </pre>
  ),
}
