// ESLint flat config: typescript-eslint's recommended rules, React hooks, and the folder
// boundaries the lib/ module headers state ("Never imports: …"), made true by construction.
import { readdirSync } from "node:fs"

import js from "@eslint/js"
import reactHooks from "eslint-plugin-react-hooks"
import tseslint from "typescript-eslint"

const UI = [
  { name: "react", message: "lib/ is pure: no React (render in components/)." },
  { name: "react-dom", message: "lib/ is pure: no React (render in components/)." },
  { name: "next", message: "lib/ is pure: no Next." },
]
const UI_PATTERNS = [
  { group: ["next/*"], message: "lib/ is pure: no Next." },
  { group: ["@/*"], message: "Imports inside lib/ are relative and end in .ts." },
  { group: ["*.css"], message: "lib/ is pure: no CSS." },
]
const NODE = { group: ["node:*"], message: "Node built-ins only in *.node.ts, cli.ts and tests." }

/** The folders of lib/ (and its own files), for the layer rules below. */
const LIB = readdirSync(new URL("./lib/", import.meta.url), { withFileTypes: true }).map((e) =>
  e.isDirectory() ? e.name : e.name,
)
/** Import patterns reaching every lib/ folder but `allowed`, from a file `depth` folders below lib/. */
const except = (depth, allowed) =>
  LIB.filter((n) => !allowed.includes(n) && !n.endsWith(".test.ts")).map(
    (n) => `${"../".repeat(depth)}${n}${n.endsWith(".ts") || n.endsWith(".tsx") ? "" : "/**"}`,
  )

/** `no-restricted-imports` for one layer of lib/: the UI ban plus the folders it must not reach. */
const layer = (files, groups, message, { node = false, ignores = [] } = {}) => ({
  files,
  ignores: ["**/*.test.ts", ...ignores],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        paths: UI,
        patterns: [...UI_PATTERNS, ...(node ? [] : [NODE]), ...(groups.length ? [{ group: groups, message }] : [])],
      },
    ],
  },
})

export default tseslint.config(
  {
    ignores: [
      "out/**",
      "out-*/**",
      ".next/**",
      ".atlas/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
      "e2e/hostile-catalog/**",
      "lib/attack/data/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: "module" },
    rules: {
      "@typescript-eslint/consistent-type-imports": [
        "error",
        { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          caughtErrors: "none",
        },
      ],
    },
  },
  {
    files: ["**/*.tsx", "components/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    // Node scripts and configs run in Node: its globals are defined there.
    files: ["scripts/**", "*.mjs", "*.ts", "lib/**/*.node.ts", "lib/cli.ts", "**/*.test.ts", "e2e/**"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        performance: "readonly",
      },
    },
  },
  {
    // A format's page parts are reached through components/formats/registry.ts only.
    files: ["app/**/*.tsx", "app/**/*.ts", "components/**/*.tsx", "components/**/*.ts", "scripts/**/*.tsx"],
    ignores: ["components/formats/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/components/formats/*/**", "../formats/*/**", "./formats/*/**"],
              message: "Reach a format's page parts through components/formats/registry.ts.",
            },
          ],
        },
      ],
    },
  },
  // The layers of lib/, bottom first. Each may import the ones below it, never the ones above.
  layer(["lib/**/*.ts"], [], "", { ignores: ["lib/**/*.node.ts", "lib/cli.ts"] }),
  layer(["lib/predicate/*.ts"], except(1, ["predicate"]), "lib/predicate imports nothing outside lib/predicate."),
  layer(["lib/source/*.ts"], except(1, ["source"]), "lib/source is the bottom layer: it imports no other lib/ folder."),
  layer(
    ["lib/model/*.ts"],
    except(1, ["model", "predicate", "source"]),
    "lib/model stands on lib/predicate and lib/source only.",
  ),
  layer(
    ["lib/events/*.ts"],
    except(1, ["events", "predicate", "source"]),
    "lib/events stands on lib/predicate and lib/source only.",
  ),
  // A plug-in never imports another plug-in either: lib/imports.test.ts checks that for every pair.
  layer(
    ["lib/formats/*/*.ts"],
    [...except(2, ["formats", "events", "model", "predicate", "source"]), "../registry.ts", "../testers.ts"],
    "A format plug-in imports lib/formats/types.ts, lib/events, lib/model, lib/predicate and lib/source only.",
  ),
  layer(
    ["lib/formats/*/*/**/*.ts"],
    [...except(3, ["formats", "events", "model", "predicate", "source"]), "../../registry.ts", "../../testers.ts"],
    "A format plug-in imports lib/formats/types.ts, lib/events, lib/model, lib/predicate and lib/source only.",
  ),
  layer(
    ["lib/formats/*/tester.ts"],
    [
      ...except(2, ["formats", "events", "model", "predicate"]),
      "../registry.ts",
      "../testers.ts",
      "./format.ts",
      "./yaml.ts",
      "./rule.ts",
      "./record.ts",
      "./spl/**",
      // The row runner evaluates a plan made at build time (eval, rex, lookup on one event): the
      // tester needs it for the rules a filter on a computed field decides; it parses nothing.
      "!./spl/row-runner.ts",
      "zod",
      "yaml",
      "js-yaml",
    ],
    "A format's tester part is shipped to the browser: it must not import the format's reader.",
  ),
  layer(
    ["lib/formats/*.ts"],
    except(1, ["formats", "events", "model", "predicate", "source"]),
    "lib/formats sits below the catalog, the tester and search.",
  ),
  layer(
    ["lib/convert/*.ts"],
    ["../catalog/**", "../search/**", "../cli.ts"],
    "lib/convert translates one rule: it reads formats, the predicate and the tester, never the catalog or the CLI.",
  ),
  layer(
    ["lib/tester/**/*.ts"],
    [
      "../formats/registry.ts",
      "../formats/sigma/**",
      // The example events and the worker's chunk choice still read Sigma's logsource tables (light
      // modules); to go once they read the gate through lib/formats/testers.ts.
      "!../formats/sigma/logsource.ts",
      "!../formats/sigma/analysis.ts",
      "../formats/splunk/**",
      "../search/**",
      "../cli.ts",
    ],
    "The tester runs in the browser: it reads formats through lib/formats/testers.ts, never the registry of readers or a format's folder.",
  ),
)
