/**
 * `node scripts/static-server.mjs [dir] [port]`: serves a static export the way static hosts do,
 * for `npm run serve`, `npm start` and the browser tests.
 *
 * Why not the `serve` package: it takes a folder named like `t1021.006` for a file with an
 * extension and lists the folder instead of serving its index.html, so every sub-technique page
 * broke. Here a folder always serves its index.html.
 *
 * Behaviour: `/x/` → x/index.html; `/x` → the file x, else x.html, else a redirect to `/x/` when
 * x is a folder; anything else → 404.html with status 404. Paths never leave the folder. Headers
 * from the export's serve.json (entries with source `**`) are added to every response.
 */
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs"
import { createServer } from "node:http"
import { extname, join, normalize, resolve, sep } from "node:path"

const root = resolve(process.argv[2] ?? "out")
const port = Number(process.argv[3] ?? process.env.PORT ?? 3000)

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".xml": "application/xml; charset=utf-8",
  ".yml": "text/yaml; charset=utf-8",
  ".yaml": "text/yaml; charset=utf-8",
  ".toml": "text/plain; charset=utf-8",
}

function extraHeaders() {
  const file = join(root, "serve.json")
  if (!existsSync(file)) return []
  try {
    const config = JSON.parse(readFileSync(file, "utf8"))
    return (config.headers ?? []).filter((h) => h.source === "**").flatMap((h) => h.headers ?? [])
  } catch {
    return []
  }
}
const EXTRA = extraHeaders()

const isFile = (p) => existsSync(p) && statSync(p).isFile()
const isDir = (p) => existsSync(p) && statSync(p).isDirectory()

function send(res, status, file, method) {
  const headers = {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Length": statSync(file).size,
    "Cache-Control": "no-cache",
  }
  for (const h of EXTRA) headers[h.key] = h.value
  res.writeHead(status, headers)
  if (method === "HEAD") res.end()
  else createReadStream(file).pipe(res)
}

function notFound(res, method) {
  const page = join(root, "404.html")
  if (isFile(page)) return send(res, 404, page, method)
  res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
  res.end("not found")
}

const server = createServer((req, res) => {
  const method = req.method ?? "GET"
  if (method !== "GET" && method !== "HEAD") {
    res.writeHead(405, { Allow: "GET, HEAD" })
    return res.end()
  }
  let pathname
  try {
    pathname = decodeURIComponent(new URL(req.url ?? "/", "http://localhost").pathname)
  } catch {
    return notFound(res, method)
  }
  const target = normalize(join(root, pathname))
  if (target !== root && !target.startsWith(root + sep)) return notFound(res, method)
  if (pathname.endsWith("/")) {
    const index = join(target, "index.html")
    return isFile(index) ? send(res, 200, index, method) : notFound(res, method)
  }
  if (isFile(target)) return send(res, 200, target, method)
  if (isFile(`${target}.html`)) return send(res, 200, `${target}.html`, method)
  if (isDir(target)) {
    const search = new URL(req.url ?? "/", "http://localhost").search
    res.writeHead(308, { Location: `${pathname}/${search}` })
    return res.end()
  }
  return notFound(res, method)
})

server.listen(port, () => {
  process.stdout.write(`serving ${root} at http://localhost:${port}/\n`)
})
