import { testerPayload } from "@/lib/tester/rules-payload.node"

export const dynamic = "force-static"

/** `/tester/rules/manifest.json`: the tester's rule chunks, their logsources and files (lib/tester/rules-chunks.ts). */
export function GET() {
  return Response.json(testerPayload().manifest)
}
