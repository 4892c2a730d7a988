import { createCommitLog, type CommitLog } from './commit-log.js'
import type { Db } from './database.js'

interface Job {
  work: () => unknown
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

/**
 * Group commit: the writes of every request that arrives in one turn of the event loop run in one
 * SQLite transaction, each in its own savepoint (so one that throws is rolled back alone), and each
 * request is answered only once that transaction has committed. A commit costs far more than a
 * row, so under concurrent load this spends one commit on many requests; alone, a request waits
 * for nothing but the next turn.
 *
 * The on-commit hook: the group and each write run through the store's commit log, so once the
 * group has committed (and before any writer is answered) its listeners hear what the writes that
 * succeeded changed, and nothing of a write that was rolled back.
 */
export function createGroupCommit (db: Db, log: CommitLog = createCommitLog(db)) {
  let queue: Job[] = []
  let scheduled = false

  function flush (): void {
    scheduled = false
    const jobs = queue
    queue = []
    const outcomes: Array<{ ok: true, value: unknown } | { ok: false, error: unknown }> = []
    try {
      log.transaction(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: log.transaction(job.work) })
          } catch (error) {
            outcomes.push({ ok: false, error })
          }
        }
      })
    } catch (error) {
      for (const job of jobs) job.reject(error)
      return
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i] as (typeof outcomes)[number]
      if (outcome.ok) job.resolve(outcome.value)
      else job.reject(outcome.error)
    })
  }

  return function write<T> (work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(flush)
      }
    })
  }
}
