/**
 * Log files from disk or stdin into a LogReader: `-` is stdin, a `.gz` file (or any file
 * starting with the gzip magic bytes) is decompressed on the fly.
 *
 * Owns: the Node I/O of `atlas hunt`; what the text means is read.ts's.
 */
import { createReadStream } from "node:fs"
import { open } from "node:fs/promises"
import { createGunzip } from "node:zlib"
import type { Readable } from "node:stream"

import { LogReader, type LogError, type LogEvent } from "./read.ts"

async function isGzip(path: string): Promise<boolean> {
  if (/\.gz$/i.test(path)) return true
  const fh = await open(path, "r")
  try {
    const buf = Buffer.alloc(2)
    const { bytesRead } = await fh.read(buf, 0, 2, 0)
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b
  } finally {
    await fh.close()
  }
}

/** Streams one file (or stdin for `-`) through a fresh LogReader; errors carry the file name. */
export async function readLog(
  path: string,
  onEvent: (e: LogEvent) => void,
  onError: (e: LogError & { file: string }) => void,
  onBytes?: (n: number) => void,
): Promise<void> {
  const label = path === "-" ? "stdin" : path
  const reader = new LogReader(onEvent, (e) => onError({ ...e, file: label }))
  let stream: Readable = path === "-" ? process.stdin : createReadStream(path)
  if (path !== "-" && (await isGzip(path))) stream = stream.pipe(createGunzip())
  const decoder = new TextDecoder("utf-8")
  for await (const chunk of stream) {
    const buf = chunk as Buffer
    onBytes?.(buf.length)
    reader.feed(decoder.decode(buf, { stream: true }))
  }
  reader.feed(decoder.decode())
  reader.end()
}
