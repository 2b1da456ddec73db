/**
 * The search index kept across visits, in IndexedDB: the `/search-index.json` text and the term
 * index built from it, under the SHA-256 of that text (and the saved form, term-index.ts
 * SAVED_FORMAT). A later visit loads it while the page idles, with no network: the first part of
 * the index (head.ts) names the current build's hash, so a save of another build is never read,
 * and a new build's save replaces it.
 *
 * Owns: the database's name and shape, and hashing the index text.
 * Invariants: best effort: any failure (no IndexedDB, private mode, quota) reads as "not cached"
 * and the index is built as on a first visit. One entry is kept: saving removes older ones.
 * Runs in the search worker (IndexedDB and crypto.subtle are worker globals).
 * Never imports: React, Next, Node built-ins.
 */
import type { SavedTermIndex } from "./term-index.ts"

/** What is saved: the index text and the term index built from it. */
export interface SavedSearch {
  text: string
  terms: SavedTermIndex
}

const DB = "atlas-search"
const STORE = "term-index"

/** Hex SHA-256 of `text`. */
export async function contentHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")
}

/** The database with its store; a database found without the store is upgraded to add it. */
async function open(): Promise<IDBDatabase> {
  const db = await openAt(undefined)
  if (db.objectStoreNames.contains(STORE)) return db
  const version = db.version + 1
  db.close()
  return openAt(version)
}

function openAt(version: number | undefined): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, version)
    req.onupgradeneeded = () => {
      const db = req.result
      if (db.objectStoreNames.contains(STORE)) db.deleteObjectStore(STORE)
      db.createObjectStore(STORE)
    }
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error ?? new Error("IndexedDB did not open"))
  })
}

function done(req: IDBRequest | IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    if ("oncomplete" in req) {
      req.oncomplete = () => resolve()
      req.onerror = () => reject(req.error ?? new Error("IndexedDB write failed"))
    } else {
      req.onsuccess = () => resolve()
      req.onerror = () => reject(req.error ?? new Error("IndexedDB read failed"))
    }
  })
}

/** The index saved under `hash`, if any. */
export async function readSaved(hash: string): Promise<SavedSearch | undefined> {
  try {
    const db = await open()
    try {
      const req = db.transaction(STORE, "readonly").objectStore(STORE).get(hash)
      await done(req)
      const saved = req.result as Partial<SavedSearch> | undefined
      return typeof saved?.text === "string" && Array.isArray(saved.terms) ? (saved as SavedSearch) : undefined
    } finally {
      db.close()
    }
  } catch {
    return undefined
  }
}

/** Saves `saved` under `hash`, dropping what was saved for other builds. */
export async function writeSaved(hash: string, saved: SavedSearch): Promise<void> {
  try {
    const db = await open()
    try {
      const tx = db.transaction(STORE, "readwrite")
      const store = tx.objectStore(STORE)
      store.clear()
      store.put(saved, hash)
      await done(tx)
    } finally {
      db.close()
    }
  } catch {
    // Not cached: the next visit builds the index again.
  }
}
