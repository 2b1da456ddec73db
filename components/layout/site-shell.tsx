import { SiteFooter, SiteHeader } from "./site-header"

/**
 * Everything inside `<body>` around a page's content: skip link, header, main, footer. The root
 * layout and the static rule pages (components/rules/rule-document.tsx) both use it, so the two
 * kinds of page cannot drift apart.
 */
export function SiteBody({ children }: { children: React.ReactNode }) {
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <SiteHeader />
      <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8">
        {children}
      </main>
      <SiteFooter />
    </>
  )
}

/** The `<body>` element's classes, shared for the same reason. */
export const BODY_CLASS = "min-h-screen bg-white font-sans text-slate-900 antialiased"

/** The site's description, for pages without their own. */
export const SITE_DESCRIPTION =
  "A static catalog of security detection rules: ATT&CK mapping, events, predicates, risk."
