import type { Metadata } from "next"

import { HuntPanel } from "@/components/tester/hunt.client"
import { Tester } from "@/components/tester/tester.client"

export const metadata: Metadata = {
  title: "Tester",
  description:
    "Test a command line or a pasted event against every rule of the catalog, with the reason each rule fires or not.",
}

export default function TesterPage() {
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Tester</h1>
      <p className="mt-2 text-slate-700">
        Type a command line as typed or as logged, or paste an event (JSON, evtx JSON or Windows event XML). Every rule
        is evaluated in your browser, off the main thread; the link in the address bar reproduces the result.
      </p>
      <div className="mt-6">
        <Tester />
      </div>
      <div className="mt-10">
        <HuntPanel />
      </div>
    </>
  )
}
