import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'
import { createStatementCache } from './statement-cache.js'
import type { AttemptRecord, DeliveryStatus, DeliveryView } from './delivery-view.js'

export type { AttemptRecord, DeliveryStatus, DeliveryView }

/** What the dispatcher needs to send one delivery. */
export interface DueDelivery {
  id: number
  eventId: number
  eventType: string
  subscriptionSeq: number
  /** The customer the event is about: with the subscription, the lane the delivery waits in. */
  customerId: string | null
  /** The account whose event this is. */
  account: string
  body: string
  attempts: number
  url: string
  publicKey: string
  secretKey: string
}

export interface DeliveredQuery {
  eventType?: string | undefined
  customerId?: string | undefined
  transactionId?: string | undefined
  account?: string | undefined
  afterEventId?: number | undefined
  /** Per account, only events with a larger id than this (the events before a snapshot's restore). */
  floors?: Record<string, number> | undefined
}

export interface DeliveryFilter {
  status?: DeliveryStatus | undefined
  eventType?: string | undefined
  customerId?: string | undefined
  account?: string | undefined
  limit: number
}

interface DeliveryViewRow {
  id: number
  event_id: number
  event_type: DeliveryView['eventType']
  account: string
  customer_id: string | null
  transaction_id: string | null
  request_id: string
  url: string
  status: DeliveryStatus
  next_attempt_at: number | null
  redelivery_of: number | null
  created_at: string
  completed_at: string | null
  body: string
}

// next_attempt_at is kept on the machine's clock (the dispatcher's); it is shown on the account's.
const VIEW = `
  SELECT d.id, d.event_id, e.event_type, e.account, e.customer_id, e.transaction_id, s.request_id, s.url,
         d.status, d.next_attempt_at + coalesce(c.offset_ms, 0) AS next_attempt_at, d.redelivery_of, d.created_at, d.completed_at, d.body
  FROM deliveries d
  JOIN events e ON e.id = d.event_id
  JOIN subscriptions s ON s.seq = d.subscription_seq
  LEFT JOIN account_clocks c ON c.account = e.account`

/** The conditions on a delivery's event that both the list and the wait filter by. */
function eventConditions (filter: { eventType?: string | undefined, customerId?: string | undefined, transactionId?: string | undefined, account?: string | undefined }) {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.eventType !== undefined) { where.push('e.event_type = ?'); params.push(filter.eventType) }
  if (filter.customerId !== undefined) { where.push('e.customer_id = ?'); params.push(filter.customerId) }
  if (filter.transactionId !== undefined) { where.push('e.transaction_id = ?'); params.push(filter.transactionId) }
  if (filter.account !== undefined) { where.push('e.account = ?'); params.push(filter.account) }
  return { where, params }
}

/**
 * The first `@window` due deliveries of one subscription, in event order, with each one's
 * customer: read from deliveries_pending_by_subscription alone, whatever the backlog behind them (a
 * test holds the plan to that). A retry waiting for its time is stepped over, so it does not hold up
 * later events.
 */
export const DUE_WINDOW = `
  SELECT id, customer_id AS customerId FROM deliveries
  WHERE subscription_seq = @subscriptionSeq AND status = 'pending' AND next_attempt_at <= @now
  ORDER BY id LIMIT @window`

/** The head of a lane: a delivery due now with no earlier due one of its customer to its subscription. */
export interface LaneHead {
  id: number
  subscriptionSeq: number
  customerId: string | null
}

const DUE_COLUMNS = `d.id, d.event_id AS eventId, e.event_type AS eventType, e.account, d.subscription_seq AS subscriptionSeq,
  d.customer_id AS customerId, d.body, d.attempts, s.url, s.public_key AS publicKey, s.secret_key AS secretKey`

export function createDeliveriesRepository (db: Db, log: CommitLog) {
  const insert = db.prepare<[Record<string, unknown>], { id: number }>(`
    INSERT INTO deliveries (event_id, subscription_seq, customer_id, body, status, next_attempt_at, redelivery_of, created_at)
    VALUES (@eventId, @subscriptionSeq, @customerId, @body, 'pending', @nextAttemptAt, @redeliveryOf, @now)
    RETURNING id`)
  const subscriptionSeqs = db.prepare<[], number>('SELECT seq FROM subscriptions ORDER BY seq').pluck()
  const dueWindow = db.prepare<[{ subscriptionSeq: number, now: number, window: number }], { id: number, customerId: string | null }>(DUE_WINDOW)
  const dueById = db.prepare<[number], DueDelivery>(`
    SELECT ${DUE_COLUMNS} FROM deliveries d JOIN subscriptions s ON s.seq = d.subscription_seq JOIN events e ON e.id = d.event_id
    WHERE d.id = ? AND d.status = 'pending'`)
  const nextDue = db.prepare<[number], { at: number | null }>(
    "SELECT min(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND next_attempt_at > ?")
  const pendingCount = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'")
  const insertAttempt = db.prepare<[Record<string, unknown>]>(`
    INSERT INTO delivery_attempts (delivery_id, number, started_at, duration_ms, http_status, error, response, faults)
    VALUES (@deliveryId, @number, @startedAt, @durationMs, @httpStatus, @error, @response, @faults)`)
  // The test clock: the account's pending deliveries move with its clock, and advancing sends what falls due.
  const ofAccount = "event_id IN (SELECT id FROM events WHERE account = @account) AND status = 'pending'"
  const shiftDue = db.prepare<[{ account: string, deltaMs: number }]>(
    `UPDATE deliveries SET next_attempt_at = next_attempt_at + @deltaMs WHERE ${ofAccount} AND next_attempt_at IS NOT NULL`)
  const nextDueOf = db.prepare<[{ account: string }], number | null>(
    `SELECT min(next_attempt_at) FROM deliveries WHERE ${ofAccount}`).pluck()
  const dueOf = db.prepare<[{ account: string, now: number }], DueDelivery>(`
    SELECT ${DUE_COLUMNS}
    FROM deliveries d JOIN subscriptions s ON s.seq = d.subscription_seq JOIN events e ON e.id = d.event_id
    WHERE d.id IN (SELECT min(id) FROM deliveries WHERE ${ofAccount} AND next_attempt_at <= @now GROUP BY subscription_seq, customer_id)
    ORDER BY d.id`)
  // A delivery held by a reorder fault is pending with no due time; it is released by the fault, or at the next start.
  const park = db.prepare<[number]>("UPDATE deliveries SET next_attempt_at = NULL WHERE id = ? AND status = 'pending'")
  const release = db.prepare<[number, number]>("UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND status = 'pending' AND next_attempt_at IS NULL")
  const releaseAll = db.prepare<[number]>("UPDATE deliveries SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at IS NULL")
  const attemptCountOf = db.prepare<[string], number>(`
    SELECT count(*) FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id WHERE e.account = ?`).pluck()
  const chaosFacts = db.prepare<[number], { redeliveryOf: number | null, customerId: string | null }>(`
    SELECT d.redelivery_of AS redeliveryOf, e.customer_id AS customerId FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = ?`)
  const firstDeliveredOfCustomer = db.prepare<[number, string, number], number>(`
    SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE d.subscription_seq = ? AND e.customer_id = ? AND d.status = 'delivered' AND d.event_id < ?
    ORDER BY d.event_id, d.id LIMIT 1`).pluck()
  const settle = db.prepare<[Record<string, unknown>]>(`
    UPDATE deliveries SET attempts = @attempts, status = @status, next_attempt_at = @nextAttemptAt, completed_at = @completedAt
    WHERE id = @id AND status = 'pending'`)
  const cancelForSubscription = db.prepare<[string, number]>(
    "UPDATE deliveries SET status = 'cancelled', next_attempt_at = NULL, completed_at = ? WHERE subscription_seq = ? AND status = 'pending'")
  const byId = db.prepare<[number], DeliveryViewRow>(`${VIEW} WHERE d.id = ?`)
  const raw = db.prepare<[number], { event_id: number, subscription_seq: number, customer_id: string | null, body: string }>(
    'SELECT event_id, subscription_seq, customer_id, body FROM deliveries WHERE id = ?')
  const attemptsOf = db.prepare<[number], Omit<AttemptRecord, 'faults'> & { faults: string | null }>(`
    SELECT number, started_at AS startedAt, duration_ms AS durationMs, http_status AS httpStatus, error, response, faults
    FROM delivery_attempts WHERE delivery_id = ? ORDER BY number`)
  const attemptsWithFaults = (id: number): AttemptRecord[] =>
    attemptsOf.all(id).map((a) => ({ ...a, faults: a.faults === null ? [] : JSON.parse(a.faults) as AttemptRecord['faults'] }))
  const cached = createStatementCache<DeliveryViewRow>(db)

  const toView = (row: DeliveryViewRow): DeliveryView => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    account: row.account,
    customerId: row.customer_id,
    transactionId: row.transaction_id,
    subscriptionRequestId: row.request_id,
    url: row.url,
    status: row.status,
    attempts: attemptsWithFaults(row.id),
    nextAttemptAt: row.next_attempt_at === null ? null : new Date(row.next_attempt_at).toISOString(),
    redeliveryOf: row.redelivery_of,
    createdDate: row.created_at,
    completedDate: row.completed_at,
    body: row.body
  })

  function insertDelivery (d: { eventId: number, subscriptionSeq: number, customerId: string | null, body: string, nextAttemptAt: number, now: string, redeliveryOf?: number }): number {
    const id = (insert.get({ redeliveryOf: null, ...d }) as { id: number }).id
    log.note({ kind: 'delivery', deliveryId: id, change: 'queued' })
    return id
  }

  return {
    insert: insertDelivery,
    /**
     * The head of each lane found among each subscription's first `window` due deliveries, oldest
     * first so that lanes beyond the in-flight cap wait behind older events. A lane whose first due
     * delivery lies beyond the window waits until the lanes ahead of it have moved on.
     */
    laneHeads (nowMs: number, window: number): LaneHead[] {
      const heads: LaneHead[] = []
      for (const subscriptionSeq of subscriptionSeqs.all()) {
        const seen = new Set<string | null>()
        for (const row of dueWindow.iterate({ subscriptionSeq, now: nowMs, window })) {
          if (seen.has(row.customerId)) continue
          seen.add(row.customerId)
          heads.push({ id: row.id, subscriptionSeq, customerId: row.customerId })
        }
      }
      return heads.sort((a, b) => a.id - b.id)
    },
    /** A pending delivery with what sending it takes; undefined once it is no longer pending. */
    dueById: (id: number): DueDelivery | undefined => dueById.get(id),
    nextDueAfter: (nowMs: number): number | undefined => nextDue.get(nowMs)?.at ?? undefined,
    pendingCount: (): number => (pendingCount.get() as { n: number }).n,
    /** Records an attempt and the delivery's new state, unless it stopped being pending meanwhile. */
    recordAttempt (deliveryId: number, attempt: AttemptRecord, next: { status: DeliveryStatus, nextAttemptAt: number | null, completedAt: string | null }): void {
      log.transaction(() => {
        // Nothing to record when the delivery was cancelled or reset away while the attempt was in flight.
        if (settle.run({ id: deliveryId, attempts: attempt.number, ...next }).changes === 0) return
        insertAttempt.run({ deliveryId, ...attempt, faults: attempt.faults.length === 0 ? null : JSON.stringify(attempt.faults) })
        log.note({ kind: 'delivery', deliveryId, change: 'attempted' })
      })
    },
    /** Moves the account's pending deliveries `deltaMs` on the machine's clock (its test clock moved the other way). */
    shiftDueOf: (account: string, deltaMs: number): void => { shiftDue.run({ account, deltaMs }) },
    /** When the account's next pending delivery is due, on the machine's clock. */
    nextDueOf: (account: string): number | undefined => nextDueOf.get({ account }) ?? undefined,
    /** How many attempts the account's deliveries have had in all. */
    attemptCountOf: (account: string): number => attemptCountOf.get(account) ?? 0,
    /** The first due delivery of each of the account's lanes, oldest first. */
    dueOf: (account: string, nowMs: number): DueDelivery[] => dueOf.all({ account, now: nowMs }),
    /** Holds a pending delivery: it is not sent until released. */
    park: (id: number): void => { park.run(id) },
    /** Makes a held delivery due at `atMs`; false when it is no longer held (sent, reset away). */
    release: (id: number, atMs: number): boolean => release.run(atMs, id).changes > 0,
    /** Makes every held delivery due at `atMs`: at start, nothing stays held by a fault that is gone. */
    releaseAll: (atMs: number): number => releaseAll.run(atMs).changes,
    /** What the webhook faults look at: whether a delivery is a copy, and whose event it carries. */
    chaosFacts: (id: number) => chaosFacts.get(id),
    /** The first delivered delivery to this subscription of an event of the customer older than `beforeEventId`. */
    firstDeliveredOfCustomer: (subscriptionSeq: number, customerId: string, beforeEventId: number): number | undefined =>
      firstDeliveredOfCustomer.get(subscriptionSeq, customerId, beforeEventId),
    cancelForSubscription (subscriptionSeq: number, now: string): number {
      return cancelForSubscription.run(now, subscriptionSeq).changes
    },
    findById (id: number): DeliveryView | undefined {
      const row = byId.get(id)
      return row === undefined ? undefined : toView(row)
    },
    /** A new pending delivery of the same bytes to the same subscription, due at `dueMs` (the machine's clock; now by default). */
    redeliver (id: number, nowMs: number, dueMs = nowMs): number | undefined {
      const original = raw.get(id)
      if (original === undefined) return undefined
      return insertDelivery({
        eventId: original.event_id,
        subscriptionSeq: original.subscription_seq,
        customerId: original.customer_id,
        body: original.body,
        nextAttemptAt: dueMs,
        redeliveryOf: id,
        now: new Date(nowMs).toISOString()
      })
    },
    /** The oldest delivered event matching the query whose id is not in `excludedEventIds`: what a test waiting for a webhook wants. */
    firstDelivered (query: DeliveredQuery, excludedEventIds: readonly number[] = []): DeliveryView | undefined {
      const { where, params } = eventConditions(query)
      where.unshift("d.status = 'delivered'")
      if (query.afterEventId !== undefined) { where.push('d.event_id > ?'); params.push(query.afterEventId) }
      if (query.floors !== undefined) { where.push('d.event_id > coalesce(json_extract(?, \'$."\' || e.account || \'"\'), 0)'); params.push(JSON.stringify(query.floors)) }
      if (excludedEventIds.length > 0) { where.push('d.event_id NOT IN (SELECT value FROM json_each(?))'); params.push(JSON.stringify(excludedEventIds)) }
      const row = cached(`${VIEW} WHERE ${where.join(' AND ')} ORDER BY d.event_id, d.id LIMIT 1`).get(...params)
      return row === undefined ? undefined : toView(row)
    },
    list (filter: DeliveryFilter): DeliveryView[] {
      const { where, params } = eventConditions(filter)
      if (filter.status !== undefined) { where.push('d.status = ?'); params.push(filter.status) }
      const sql = `${VIEW}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT ?`
      return cached(sql).all(...params, filter.limit).map(toView)
    }
  }
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>
