/**
 * Site constants and the base-path helper for client-side fetches.
 *
 * Never imports: React, Next, Node built-ins.
 */

export const SITE_NAME = "Detection Atlas"

/** Base path the export is served under (`BASE_PATH` at build time), without a trailing slash. */
export const BASE_PATH = (process.env.NEXT_PUBLIC_BASE_PATH ?? "").replace(/\/$/, "")

/** A site-absolute path prefixed with the base path, for fetches and workers. */
export function withBasePath(path: string): string {
  return `${BASE_PATH}${path}`
}

/** True for links that are safe to render as anchors: http(s) only, never javascript: or data:. */
export function isSafeUrl(url: string): boolean {
  try {
    const u = new URL(url)
    return u.protocol === "https:" || u.protocol === "http:"
  } catch {
    return false
  }
}
