import { gzipSync } from "node:zlib"

import { getCatalog } from "@/lib/catalog/get.node"
import { buildSearchIndex } from "@/lib/search/build-index"
import { buildSearchHead } from "@/lib/search/head"
import { contentHash } from "@/lib/search/term-cache"

export const dynamic = "force-static"

/**
 * `/search-head.bin`: the first part of the search index (lib/search/head.ts), fetched by the
 * search worker while a page idles. Shipped gzipped inside the file (the worker inflates it), not
 * left to the host: many static hosts send JSON uncompressed, and this file is fetched by every
 * page a reader opens.
 */
export async function GET() {
  const data = await buildSearchIndex(getCatalog())
  // The hash of the very text /search-index.json is (Response.json writes JSON.stringify's text).
  const head = buildSearchHead(data, await contentHash(JSON.stringify(data)))
  return new Response(gzipSync(JSON.stringify(head), { level: 9 }), {
    headers: { "content-type": "application/octet-stream" },
  })
}
