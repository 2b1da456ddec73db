/**
 * Chromium for benchmarks: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own
 * browser (the same choice as playwright.config.ts).
 */
import { existsSync } from "node:fs"

import { chromium, type Browser } from "@playwright/test"

export function launchChromium(): Promise<Browser> {
  const executablePath =
    process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined)
  return chromium.launch({
    executablePath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  })
}
