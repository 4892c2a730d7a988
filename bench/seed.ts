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
