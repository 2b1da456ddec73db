import { existsSync } from "node:fs"

import { defineConfig, devices } from "@playwright/test"

/**
 * Playwright runs against the built static export in out/ (npm run build first), served by
 * scripts/static-server.mjs. Browser: CHROMIUM_PATH, else Debian's /usr/bin/chromium where Playwright cannot
 * download its own, else Playwright's bundled browser. When out-hostile/ exists (the export of
 * e2e/hostile-catalog), a second server on E2E_PORT + 1 serves it to the hostile projects.
 */
const PORT = Number(process.env.E2E_PORT ?? 4173)
const HOSTILE = /hostile\.spec\.ts$/
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined)

const launchOptions = {
  executablePath: chromiumPath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
  ],
}

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  // A test passes on its first run or fails: never retried until a race goes away.
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    launchOptions,
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions }, testIgnore: HOSTILE },
    { name: "mobile", use: { ...devices["Pixel 7"], launchOptions }, grep: /@mobile/, testIgnore: HOSTILE },
    // The hostile catalog's export (out-hostile/, see e2e/hostile.spec.ts) on the next port.
    {
      name: "hostile",
      use: { ...devices["Desktop Chrome"], launchOptions, baseURL: `http://127.0.0.1:${PORT + 1}` },
      testMatch: HOSTILE,
    },
    {
      name: "hostile-mobile",
      use: { ...devices["Pixel 7"], launchOptions, baseURL: `http://127.0.0.1:${PORT + 1}` },
      testMatch: HOSTILE,
      grep: /@mobile/,
    },
  ],
  webServer: [
    {
      command: `node scripts/static-server.mjs out ${PORT}`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    ...(existsSync("out-hostile")
      ? [
          {
            command: `node scripts/static-server.mjs out-hostile ${PORT + 1}`,
            url: `http://127.0.0.1:${PORT + 1}/`,
            reuseExistingServer: !process.env.CI,
            timeout: 60_000,
          },
        ]
      : []),
  ],
})
