import type { Metadata } from "next"

import { BODY_CLASS, SITE_DESCRIPTION, SiteBody } from "@/components/layout/site-shell"
import { SITE_NAME } from "@/lib/site"
import { SEARCH_SHORTCUT_SCRIPT } from "@/components/search/shortcut"

import "./globals.css"

export const metadata: Metadata = {
  title: { default: SITE_NAME, template: `%s · ${SITE_NAME}` },
  description: SITE_DESCRIPTION,
}

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className={BODY_CLASS}>
        <SiteBody>{children}</SiteBody>
        {/* The search shortcut from the first byte, before hydration (components/search/shortcut.ts). */}
        <script dangerouslySetInnerHTML={{ __html: SEARCH_SHORTCUT_SCRIPT }} />
      </body>
    </html>
  )
}
