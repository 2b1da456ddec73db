import type { Metadata } from "next"

import { RuleIdRedirect } from "@/components/rules/rule-id-redirect.client"

export const metadata: Metadata = { title: "Rule by id", robots: { index: false } }

/** Permanent links by rule id: `/id/?<rule id>` (or `#<rule id>`) leads to the rule page. */
export default function IdPage() {
  return (
    <>
      <h1 className="text-3xl font-bold">Rule by id</h1>
      <RuleIdRedirect />
    </>
  )
}
