/**
 * Closing the phone header's Menu (a `<details data-site-menu>`, open and usable without any
 * script) the way a menu closes once scripts run: on Esc, with focus back on the Menu button; on a
 * tap or click outside it; when focus moves out of it; after one of its links is followed (the
 * header stays mounted across client-side navigations, so it would stay open over the next page).
 * Plain DOM, so the React pages (site-menu.client.tsx) and the static rule pages
 * (components/rules/rule-island.ts) share it. Listeners sit on the document and find the menu when
 * an event comes, so a re-rendered header needs nothing more.
 */
let installed = false

function openMenu(): HTMLDetailsElement | null {
  return document.querySelector<HTMLDetailsElement>("details[data-site-menu][open]")
}

export function installMenuDismiss(): void {
  if (installed) return
  installed = true
  document.addEventListener("keydown", (e) => {
    const menu = e.key === "Escape" ? openMenu() : null
    if (!menu) return
    menu.open = false
    menu.querySelector("summary")?.focus()
  })
  document.addEventListener("pointerdown", (e) => {
    const menu = openMenu()
    if (menu && e.target instanceof Node && !menu.contains(e.target)) menu.open = false
  })
  document.addEventListener("click", (e) => {
    const menu = openMenu()
    if (menu && e.target instanceof Element && e.target.closest("a") && menu.contains(e.target)) menu.open = false
  })
  document.addEventListener("focusin", (e) => {
    const menu = openMenu()
    if (menu && e.target instanceof Node && !menu.contains(e.target)) menu.open = false
  })
  // Says the Menu closes now (browser tests wait for it rather than for a guess at hydration).
  document.documentElement.setAttribute("data-menu-ready", "")
}
