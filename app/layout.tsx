import type { Metadata } from "next"

import { BODY_CLASS, SITE_DESCRIPTION, SiteBody } from "@/components/layout/site-shell"
import { SITE_NAME } from "@/lib/site"

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
      </body>
    </html>
  )
}
