import { testerPayload } from "@/lib/tester/rules-payload.node"

export const dynamic = "force-static"
export const dynamicParams = false

export function generateStaticParams() {
  return [...testerPayload().files.keys()].map((chunk) => ({ chunk }))
}

/** `/tester/rules/<name>.<hash>.json`: one chunk of the tester's rules (lib/tester/rules-chunks.ts). */
export async function GET(_req: Request, { params }: { params: Promise<{ chunk: string }> }) {
  const text = testerPayload().files.get((await params).chunk)
  if (text === undefined) return new Response("no such chunk", { status: 404 })
  return new Response(text, { headers: { "content-type": "application/json" } })
}
