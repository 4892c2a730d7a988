import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../src/demo-credentials.js'
import { openDatabase } from '../src/store/database.js'
import { migrate } from '../src/store/migrate.js'

/** Writes `count` customers of the default account straight into a new database; returns one id. */
export function seedCustomers (path: string, count: number): string {
  const db = openDatabase(path)
  try {
    migrate(db)
    const now = new Date().toISOString()
    db.prepare("INSERT INTO accounts (account, api_key, api_secret, origin, created_at) VALUES (?, ?, ?, 'config', ?)")
      .run(DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET, now)
    db.prepare(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?),
      r(i, h) AS (SELECT i, lower(hex(randomblob(16))) FROM n)
      INSERT INTO customers (id, account, email, description, external_id, blocked, created_at, updated_at)
      SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-a' || substr(h, 18, 3) || '-' || substr(h, 21, 12),
             ?, 'seed' || i || '@example.com', NULL, NULL, 0, ?, ?
      FROM r`).run(count, DEFAULT_ACCOUNT, now, now)
    return db.prepare('SELECT id FROM customers WHERE seq = ?').pluck().get(Math.ceil(count / 2)) as string
  } finally {
    db.close()
  }
}

/**
 * Writes `count` pending deliveries, all due now, spread round-robin over `lanes` subscriptions
 * of the default account that point at `url`, each for its own event.
 */
export function seedBacklog (path: string, url: string, count: number, lanes: number): void {
  const db = openDatabase(path)
  try {
    migrate(db)
    const now = new Date()
    const iso = now.toISOString()
    db.transaction(() => {
      db.prepare("INSERT INTO accounts (account, api_key, api_secret, origin, created_at) VALUES (?, ?, ?, 'config', ?)")
        .run(DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET, iso)
      const subscribe = db.prepare(`
        INSERT INTO subscriptions (account, request_id, url, public_key, secret_key, notification_event_types, notification_service_types, origin, created_at)
        VALUES (?, ?, ?, 'bench-public-key', 'bench-secret-key', '[]', '[]', 'api', ?)`)
      for (let lane = 0; lane < lanes; lane++) subscribe.run(DEFAULT_ACCOUNT, `bench-lane-${lane}`, url, iso)
      db.prepare(`
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
        INSERT INTO events (account, event_type, level, customer_id, purse_id, transaction_id, data, created_at)
        SELECT ?, 'CUSTOMER_BLOCKED', 'INFO', NULL, NULL, NULL, '{}', ? FROM n`).run(count, DEFAULT_ACCOUNT, iso)
      db.prepare(`
        INSERT INTO deliveries (event_id, subscription_seq, body, status, next_attempt_at, created_at)
        SELECT e.id, (SELECT min(seq) FROM subscriptions) + e.id % ?,
               json_object('eventId', e.id, 'eventType', e.event_type, 'eventLevel', e.level, 'account', e.account,
                           'createdDate', e.created_at, 'data', json_object('customerId', 'bench-' || e.id)),
               'pending', ?, ?
        FROM events e ORDER BY e.id`).run(lanes, now.getTime(), iso)
    })()
  } finally {
    db.close()
  }
}
