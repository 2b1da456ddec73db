"use client"

import { useEffect } from "react"

import { BASE_PATH } from "@/lib/site"

/**
 * Old permalinks were pages at `/id/<id>/`; static hosts answer them with this site's 404 page,
 * which forwards them to `/id/?<id>` so bookmarks keep working. Renders nothing.
 */
export function LegacyIdRedirect() {
  useEffect(() => {
    const path = window.location.pathname.slice(BASE_PATH.length)
    const match = /^\/id\/([^/?#]+)\/?$/.exec(path)
    if (match) window.location.replace(`${BASE_PATH}/id/?${match[1]}`)
  }, [])
  return null
}
