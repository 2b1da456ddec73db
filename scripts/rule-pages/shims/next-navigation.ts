/**
 * `next/navigation` for code bundled outside Next (the search palette on static rule pages): the
 * router is the browser's own. Only what that code uses is here; a missing export fails the bundle.
 */
import { withBasePath } from "@/lib/site"

const router = {
  push: (href: string) => window.location.assign(withBasePath(href)),
  replace: (href: string) => window.location.replace(withBasePath(href)),
}

export function useRouter() {
  return router
}
