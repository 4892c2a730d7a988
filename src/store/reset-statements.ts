import type { CommitLog } from './commit-log.js'
import type { Db } from './database.js'

/** The deletes of /_mock/reset, prepared once; `@account` NULL means every account. */
export function createResetStatements (db: Db, log: CommitLog) {
  const inScope = '(@account IS NULL OR account = @account)'
  const statements = [
    db.prepare(`DELETE FROM delivery_attempts WHERE delivery_id IN (
      SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE @account IS NULL OR e.account = @account)`),
    db.prepare(`DELETE FROM deliveries WHERE event_id IN (SELECT id FROM events WHERE ${inScope})`),
    db.prepare(`DELETE FROM events WHERE ${inScope}`),
    db.prepare(`DELETE FROM transactions WHERE ${inScope}`),
    db.prepare(`DELETE FROM purses WHERE ${inScope}`),
    db.prepare(`DELETE FROM customers WHERE ${inScope}`),
    db.prepare(`DELETE FROM account_clocks WHERE ${inScope}`)
  ]
  // The WEBHOOK_URL subscriptions stay: of the configured accounts on a full reset, of the account on its own.
  const subscriptions = db.prepare(`DELETE FROM subscriptions WHERE ${inScope} AND NOT (
    origin = 'config' AND deleted_at IS NULL AND (@account IS NOT NULL OR account IN (SELECT value FROM json_each(@configured))))`)

  return function deleteData (configuredAccounts: readonly string[], account: string | undefined): void {
    const params = { account: account ?? null }
    for (const statement of statements) statement.run(params)
    subscriptions.run({ ...params, configured: JSON.stringify(configuredAccounts) })
    log.note({ kind: 'reset', account: account ?? null })
  }
}
