import type { RulePageView } from "@/lib/catalog/rule-page-view"
import { SITE_NAME } from "@/lib/site"
import { BODY_CLASS, SiteBody } from "@/components/layout/site-shell"
import { THEME_SCRIPT } from "@/components/layout/theme"

import { RulePage } from "./rule-page"

/**
 * What a static rule page links to: the site's stylesheets (scripts/rule-pages/ renders a
 * placeholder, then swaps in Next's stylesheet and icon links) and its one script.
 */
export interface StaticPageAssets {
  stylesheets: string[]
  /** The island script (components/rules/rule-island.ts), site-absolute with the base path. */
  script: string
}

/**
 * A whole rule page as plain HTML, for scripts/rule-pages/: the same body as the Next pages
 * (SiteBody) around the same RulePage, with the head Next would write for it (title template,
 * description) and no framework script: only the island module.
 */
export function RuleDocument({ view, assets }: { view: RulePageView; assets: StaticPageAssets }) {
  const { rule } = view
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        <title>{`${rule.name} · ${SITE_NAME}`}</title>
        <meta name="description" content={rule.description.slice(0, 200)} />
        {assets.stylesheets.map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
        <script type="module" src={assets.script} />
      </head>
      <body className={BODY_CLASS}>
        <SiteBody>
          <RulePage {...view} />
        </SiteBody>
      </body>
    </html>
  )
}
