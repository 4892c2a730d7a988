import type { Writable } from 'node:stream'

/**
 * The server's JSON log lines, written to stdout once per turn of the event loop instead of once
 * per line: under load every request's line then shares one write(2) with the lines of the other
 * requests answered in the same turn. A line waits for the end of the turn that wrote it, never
 * longer; what is still held when the process exits (process.exit, an uncaught error) is written
 * before it does. Only a SIGKILL loses the lines of the turn it lands in.
 */
export function createLogDestination (out: Pick<Writable, 'write'> = process.stdout) {
  let held: string[] = []
  let scheduled = false

  function flush (): void {
    scheduled = false
    if (held.length === 0) return
    const text = held.length === 1 ? held[0] as string : held.join('')
    held = []
    out.write(text)
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
