import { writeSync } from 'node:fs'

/** What a log line is written with; the process's stdout by default. */
export type WriteOut = (text: string) => void

const pause = new Int32Array(new SharedArrayBuffer(4))

/**
 * Writes all of `text` to `fd` before returning, as pino's own destination does: a full pipe
 * (EAGAIN) is waited out, so a slow reader slows the server down instead of piling the log up in
 * its memory. A closed stdout (EPIPE) drops the text.
 */
export function writeFully (fd: number, text: string): void {
  let bytes = Buffer.from(text, 'utf8')
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes))
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EAGAIN' && code !== 'EBUSY') return
      Atomics.wait(pause, 0, 0, 1)
    }
  }
}

/**
 * The server's JSON log lines, written to stdout once per turn of the event loop instead of once
 * per line: under load every request's line then shares one write(2) with the lines of the other
 * requests answered in the same turn. A line waits for the end of the turn that wrote it, never
 * longer; what is still held when the process exits (process.exit, an uncaught error) is written
 * before it does. Only a SIGKILL loses the lines of the turn it lands in.
 */
export function createLogDestination (out: WriteOut = (text) => writeFully(1, text)) {
  let held: string[] = []
  let scheduled = false

  function flush (): void {
    scheduled = false
    if (held.length === 0) return
    const text = held.length === 1 ? held[0] as string : held.join('')
    held = []
    out(text)
  }

  process.on('exit', flush)
  return {
    write (line: string): boolean {
      held.push(line)
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
      return true
    },
    flush
  }
}
