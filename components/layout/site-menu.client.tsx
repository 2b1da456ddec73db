"use client"

import { useEffect } from "react"

import { installMenuDismiss } from "./site-menu"

/** Installs the Menu's closing behaviour (site-menu.ts) on the React pages; renders nothing. */
export function SiteMenuDismiss() {
  useEffect(() => installMenuDismiss(), [])
  return null
}
