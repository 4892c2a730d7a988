import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

export interface Subscription {
  seq: number
  account: string
  requestId: string
  url: string
  publicKey: string
  secretKey: string
  notificationEventTypes: string[]
  notificationServiceTypes: string[]
  origin: 'api' | 'config'
  createdDate: string
}

interface SubscriptionRow {
  seq: number
  account: string
  request_id: string
  url: string
  public_key: string
  secret_key: string
  notification_event_types: string
  notification_service_types: string
  origin: 'api' | 'config'
  created_at: string
}

export interface NewSubscription {
  account: string
  requestId: string
  url: string
  publicKey: string
  secretKey: string
  notificationEventTypes: readonly string[]
  notificationServiceTypes: readonly string[]
  origin: 'api' | 'config'
  now: string
}

const COLUMNS = 'seq, account, request_id, url, public_key, secret_key, notification_event_types, notification_service_types, origin, created_at'

function toSubscription (row: SubscriptionRow): Subscription {
  return {
    seq: row.seq,
    account: row.account,
    requestId: row.request_id,
    url: row.url,
    publicKey: row.public_key,
    secretKey: row.secret_key,
    notificationEventTypes: JSON.parse(row.notification_event_types) as string[],
    notificationServiceTypes: JSON.parse(row.notification_service_types) as string[],
    origin: row.origin,
    createdDate: row.created_at
  }
}

export function createSubscriptionsRepository (db: Db, log: CommitLog) {
  const insert = db.prepare<[Record<string, unknown>], SubscriptionRow>(`
    INSERT INTO subscriptions (account, request_id, url, public_key, secret_key, notification_event_types, notification_service_types, origin, created_at)
    VALUES (@account, @requestId, @url, @publicKey, @secretKey, @eventTypes, @serviceTypes, @origin, @now)
    RETURNING ${COLUMNS}`)
  const live = db.prepare<[string, string], SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE account = ? AND request_id = ? AND deleted_at IS NULL`)
  const liveOfAccount = db.prepare<[string], SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE account = ? AND deleted_at IS NULL ORDER BY seq`)
  const liveConfigured = db.prepare<[], SubscriptionRow>(
    `SELECT ${COLUMNS} FROM subscriptions WHERE origin = 'config' AND deleted_at IS NULL ORDER BY seq`)
  const markDeleted = db.prepare<[string, number]>('UPDATE subscriptions SET deleted_at = ? WHERE seq = ? AND deleted_at IS NULL')
  const accountOfSeq = db.prepare<[number], { account: string }>('SELECT account FROM subscriptions WHERE seq = ?')
  const accountOf = (seq: number): string => (accountOfSeq.get(seq) as { account: string }).account
  const updateTarget = db.prepare<[string, string, string, number]>(
    'UPDATE subscriptions SET url = ?, public_key = ?, secret_key = ? WHERE seq = ?')

  return {
    create (s: NewSubscription): Subscription {
      const row = insert.get({
        ...s,
        eventTypes: JSON.stringify(s.notificationEventTypes),
        serviceTypes: JSON.stringify(s.notificationServiceTypes)
      }) as SubscriptionRow
      log.note({ kind: 'subscription', account: row.account })
      return toSubscription(row)
    },
    findLive (account: string, requestId: string): Subscription | undefined {
      const row = live.get(account, requestId)
      return row === undefined ? undefined : toSubscription(row)
    },
    listLive (account: string): Subscription[] {
      return liveOfAccount.all(account).map(toSubscription)
    },
    listLiveConfigured (): Subscription[] {
      return liveConfigured.all().map(toSubscription)
    },
    markDeleted (seq: number, now: string): boolean {
      const deleted = markDeleted.run(now, seq).changes === 1
      if (deleted) log.note({ kind: 'subscription', account: accountOf(seq) })
      return deleted
    },
    updateTarget (seq: number, url: string, publicKey: string, secretKey: string): void {
      updateTarget.run(url, publicKey, secretKey, seq)
      log.note({ kind: 'subscription', account: accountOf(seq) })
    }
  }
}

export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>
