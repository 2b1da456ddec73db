import type { Metadata } from "next"
import Link from "next/link"

import { NotFoundSearch } from "@/components/layout/not-found-search.client"
import { LegacyIdRedirect } from "@/components/rules/legacy-id-redirect.client"

export const metadata: Metadata = { title: "Page not found" }

export default function NotFound() {
  return (
    <>
      <LegacyIdRedirect />
      <h1 className="text-3xl font-bold">Page not found</h1>
      <p className="mt-3 text-slate-700">
        Nothing lives at this address. Browse{" "}
        <Link prefetch={false} href="/rules/" className="text-sky-700 underline">
          all rules
        </Link>{" "}
        or go to the{" "}
        <Link prefetch={false} href="/" className="text-sky-700 underline">
          home page
        </Link>
        .
      </p>
      <NotFoundSearch />
    </>
  )
}
