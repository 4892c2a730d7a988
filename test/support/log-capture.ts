import { Writable } from 'node:stream'
import { scaled } from './time-scale.js'

export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/**
 * A pino destination that keeps every JSON line: pass `logger` to build's options, then wait for
 * the lines a test expects (a positive signal, never a sleep).
 */
export function captureLogs (level = 'info') {
  const lines: LogLine[] = []
  const watchers = new Set<() => void>()
  const stream = new Writable({
    write (chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text !== '') lines.push(JSON.parse(text) as LogLine)
      for (const watch of watchers) watch()
      done()
    }
  })
  return {
    lines,
    logger: { level, stream },
    /** Resolves with the lines once `predicate` holds; rejects after `timeoutMs` (a guard, not a measurement). */
    waitFor (predicate: (lines: LogLine[]) => boolean, timeoutMs = scaled(10_000)): Promise<LogLine[]> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          watchers.delete(check)
          reject(new Error(`timed out waiting for log lines; got: ${lines.map((l) => l.msg).join(' | ').slice(-2000)}`))
        }, timeoutMs)
        const check = () => {
          if (!predicate(lines)) return
          clearTimeout(timer)
          watchers.delete(check)
          resolve(lines)
        }
        watchers.add(check)
        check()
      })
    }
  }
}
