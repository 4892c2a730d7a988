import type { Db } from './database.js'

/** What a write changed, as the repositories note it. Listeners read the rows themselves, after commit. */
export type StoreChange =
  | { kind: 'account', account: string }
  | { kind: 'customer', account: string, customerId: string, created: boolean }
  | { kind: 'purse', account: string, customerId: string, purseId: string, created: boolean }
  | { kind: 'event', account: string, eventId: number, eventType: string, customerId: string | null, purseId: string | null, transactionId: string | null }
  | { kind: 'delivery', deliveryId: number, change: 'queued' | 'attempted' }
  | { kind: 'subscription', account: string }
  | { kind: 'reset', account: string | null }
  | { kind: 'clock', account: string }

/** Told what one transaction changed, once it has committed. */
export type CommitListener = (changes: readonly StoreChange[]) => void

/**
 * The on-commit hook: repositories note what they change inside a transaction; once the outermost
 * transaction commits, every listener is told, so nobody hears of a change that was rolled back.
 * A savepoint that throws drops what was noted inside it.
 */
export function createCommitLog (db: Db) {
  let pending: StoreChange[] = []
  const listeners = new Set<CommitListener>()
  // One wrapper for every transaction: better-sqlite3 opens a savepoint when it is already inside
  // one, and building a wrapper per call (db.transaction(work)) cost more than the insert it ran.
  const inTransaction = db.transaction((work: () => unknown) => work())

  function committed (): void {
    if (pending.length === 0) return
    const changes = pending
    pending = []
    for (const listener of listeners) {
      try {
        listener(changes)
      } catch (err) {
        // The data is committed and the writer must be answered: a listener's bug is reported, not thrown at it.
        process.emitWarning(err instanceof Error ? err : new Error(String(err)), 'CommitListenerWarning')
      }
    }
  }

  return {
    /** Records a change made by the statement just run; outside a transaction that statement has committed already. */
    note (change: StoreChange): void {
      pending.push(change)
      if (!db.inTransaction) committed()
    },
    /** Runs `work` in a transaction, or in a savepoint inside one; listeners hear of it after the outermost commit. */
    transaction<T> (work: () => T): T {
      const outermost = !db.inTransaction
      const mark = pending.length
      let result: T
      try {
        result = inTransaction(work) as T
      } catch (err) {
        pending.length = mark
        throw err
      }
      if (outermost) committed()
      return result
    },
    /** Calls `listener` after every commit that changed something; returns how to stop. */
    onCommit (listener: CommitListener): () => void {
      listeners.add(listener)
      return () => { listeners.delete(listener) }
    }
  }
}

export type CommitLog = ReturnType<typeof createCommitLog>
