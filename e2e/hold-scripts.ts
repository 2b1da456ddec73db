import type { Page } from "@playwright/test"

/**
 * Holds every script of the page's framework until `release()`, as a slow phone does: the HTML is
 * there and can be used, React has not hydrated it yet. Await `held` before navigating.
 */
export function holdScripts(page: Page): { held: Promise<unknown>; release: () => void } {
  let release = () => {}
  const released = new Promise<void>((done) => (release = done))
  const held = page.route("**/_next/static/chunks/**/*.js", async (route) => {
    await released
    await route.continue()
  })
  return { held, release: () => release() }
}
