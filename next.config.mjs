import createMDX from "@next/mdx"
import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js"

/** Static export: every page is a file in out/, no server at runtime. */
const nextConfig = {
  output: "export",
  trailingSlash: true,
  // Links keep the trailing slash they are written with. Without this, next/link drops it from any
  // path whose last segment looks like a file name (`/techniques/t1059.001/` → `…/t1059.001`): a
  // link a static host must redirect, and a client navigation that fetches `t1059.001.txt`, which
  // the export never writes.
  skipTrailingSlashRedirect: true,
  basePath: process.env.BASE_PATH || undefined,
  // Client code (worker and JSON fetches) needs the base path too: lib/site.ts reads this.
  env: { NEXT_PUBLIC_BASE_PATH: process.env.BASE_PATH || "" },
  images: { unoptimized: true },
  pageExtensions: ["ts", "tsx", "md", "mdx"],
  // shiki and yaml are used at build time only, by server components; keep them out of bundling.
  serverExternalPackages: ["shiki", "yaml"],
  // The catalog is loaded once by scripts/build.ts and cached to disk; static generation reads
  // that cache, so more workers only multiply memory, not work.
  // prefetchInlining (on by default in Next 16.4) measures the gzip size of every segment of every
  // page at build time to decide which to inline into one prefetch; an export of thousands of pages
  // paid for it in export time (security_content alone, loaded machine: static generation 2.3 min →
  // 95 s). Off, the client prefetches each segment file on its own, as Next did before; the files
  // are there either way.
  experimental: { cpus: Number(process.env.ATLAS_BUILD_CPUS || 2), prefetchInlining: false },
  // `npm test` type-checks the project (tsc --noEmit, strict); a catalog export changes no
  // TypeScript, so checking it again on every build only costs time.
  typescript: { ignoreBuildErrors: true },
}

const withMDX = createMDX({})

/**
 * Rule pages are not Next routes in a build: scripts/rule-pages/ renders them as plain HTML while
 * `next build` runs, in parallel (a tenth of the export time and none of the framework's JavaScript). The dev server
 * has no such step, so it alone also reads `page.dev.tsx` files: app/rules/[format]/[slug]/.
 */
export default function config(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER
  return withMDX(dev ? { ...nextConfig, pageExtensions: ["dev.tsx", ...nextConfig.pageExtensions] } : nextConfig)
}
