import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

export interface NewEvent {
  account: string
  eventType: string
  level: string
  customerId: string | null
  purseId: string | null
  transactionId: string | null
  data: string
  createdAt: string
}

export interface StoredEvent extends NewEvent {
  id: number
}

export function createEventsRepository (db: Db, log: CommitLog) {
  const insert = db.prepare<[NewEvent], { id: number }>(`
    INSERT INTO events (account, event_type, level, customer_id, purse_id, transaction_id, data, created_at)
    VALUES (@account, @eventType, @level, @customerId, @purseId, @transactionId, @data, @createdAt)
    RETURNING id`)
  const lastId = db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck()
  const byTransaction = db.prepare<[string], { eventType: string }>(
    'SELECT event_type AS eventType FROM events WHERE transaction_id = ? ORDER BY id')

  return {
    insert (event: NewEvent): number {
      const id = (insert.get(event) as { id: number }).id
      log.note({ kind: 'event', account: event.account, eventId: id, eventType: event.eventType, customerId: event.customerId, purseId: event.purseId, transactionId: event.transactionId })
      return id
    },
    /** The largest event id ever given (ids are never reused), 0 before the first event. */
    lastId: (): number => lastId.get() ?? 0,
    typesForTransaction (transactionId: string): string[] {
      return byTransaction.all(transactionId).map((row) => row.eventType)
    }
  }
}

export type EventsRepository = ReturnType<typeof createEventsRepository>
