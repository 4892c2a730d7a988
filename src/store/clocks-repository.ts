import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

/** Each account's test clock: how far it runs ahead of the machine's (table account_clocks). */
export function createClocksRepository (db: Db, log: CommitLog) {
  const offsetOf = db.prepare<[string], number>('SELECT offset_ms FROM account_clocks WHERE account = ?').pluck()
  const set = db.prepare<[string, number]>(`
    INSERT INTO account_clocks (account, offset_ms) VALUES (?, ?)
    ON CONFLICT (account) DO UPDATE SET offset_ms = excluded.offset_ms`)
  const remove = db.prepare<[string]>('DELETE FROM account_clocks WHERE account = ?')
  return {
    /** Milliseconds the account's clock runs ahead of the machine's; 0 when it was never advanced. */
    offsetOf: (account: string): number => offsetOf.get(account) ?? 0,
    setOffset (account: string, offsetMs: number): void {
      if (offsetMs === 0) remove.run(account)
      else set.run(account, offsetMs)
      log.note({ kind: 'clock', account })
    }
  }
}

export type ClocksRepository = ReturnType<typeof createClocksRepository>
