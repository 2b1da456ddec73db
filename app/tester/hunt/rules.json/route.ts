import { huntPayloadText } from "@/lib/hunt/payload.node"

export const dynamic = "force-static"

/** `/tester/hunt/rules.json`: the rules the in-browser hunt runs (lib/hunt/payload.ts). */
export function GET() {
  return new Response(huntPayloadText(), { headers: { "content-type": "application/json" } })
}
