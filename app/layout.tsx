import type { Metadata } from "next"

import { BODY_CLASS, SITE_DESCRIPTION, SiteBody } from "@/components/layout/site-shell"
import { THEME_SCRIPT } from "@/components/layout/theme"
import { SITE_NAME } from "@/lib/site"
import { SEARCH_SHORTCUT_SCRIPT } from "@/components/search/shortcut"

import "./globals.css"

export const metadata: Metadata = {
  title: { default: SITE_NAME, template: `%s · ${SITE_NAME}` },
  description: SITE_DESCRIPTION,
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // The theme script sets `dark` on <html> before React hydrates: not a mismatch to report.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className={BODY_CLASS}>
        <SiteBody>{children}</SiteBody>
        {/* The search shortcut from the first byte, before hydration (components/search/shortcut.ts). */}
        <script dangerouslySetInnerHTML={{ __html: SEARCH_SHORTCUT_SCRIPT }} />
      </body>
    </html>
  )
}
