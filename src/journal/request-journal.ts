import type { AuthVerdict } from '../auth/verify-request.js'

export interface JournalEntry {
  id: number
  time: string
  method: string
  path: string
  traceId: string
  /** The Key header as sent (a public key, not a secret). */
  key: string | null
  body: string | null
  bodyTruncated: boolean
  /** null when authentication did not run (unknown path, content type refused, injected fault). */
  auth: AuthVerdict | null
  /** The id of the /_mock/faults entry that answered instead of the API, if any. */
  faultId: number | null
  status: number
  errorCode: string | null
  durationMs: number
}

export interface JournalQuery {
  limit: number
  errorCode?: string | undefined
  path?: string | undefined
}

const BODY_KEPT = 16 * 1024

/** The last `capacity` calls to /api, newest first: how a merchant finds out why a call was refused. */
export function createRequestJournal (capacity = 1000) {
  // A ring: the newest entry overwrites the oldest, so recording costs the same with a full journal.
  const ring: Array<JournalEntry | undefined> = new Array(capacity)
  let count = 0
  const listeners = new Set<(entry: JournalEntry) => void>()
  let next = 1

  return {
    record (entry: Omit<JournalEntry, 'id' | 'body' | 'bodyTruncated'>, rawBody: Buffer | undefined): void {
      const text = rawBody === undefined ? null : rawBody.subarray(0, BODY_KEPT).toString('utf8')
      const recorded = { id: next++, ...entry, body: text, bodyTruncated: rawBody !== undefined && rawBody.length > BODY_KEPT }
      ring[count % capacity] = recorded
      count++
      for (const listener of listeners) listener(recorded)
    },
    /** Calls `listener` with every entry recorded from now on; returns how to stop. */
    onRecord (listener: (entry: JournalEntry) => void): () => void {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    },
    list (query: JournalQuery): JournalEntry[] {
      const out: JournalEntry[] = []
      for (let i = count - 1; i >= Math.max(0, count - capacity) && out.length < query.limit; i--) {
        const entry = ring[i % capacity] as JournalEntry
        if (query.errorCode !== undefined && entry.errorCode !== query.errorCode) continue
        if (query.path !== undefined && !entry.path.includes(query.path)) continue
        out.push(entry)
      }
      return out
    },
    clear (): void {
      ring.fill(undefined)
      count = 0
    }
  }
}

export type RequestJournal = ReturnType<typeof createRequestJournal>
