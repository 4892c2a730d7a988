import type { Store } from '../store/store.js'

/**
 * Empties the mock's data, for every account or one. Configured accounts and their WEBHOOK_URL
 * subscriptions survive; accounts created at run time go with a full reset.
 */
export function resetData (store: Store, configuredAccounts: readonly string[], account?: string): void {
  const db = store.db
  const scope = account === undefined ? '' : ' WHERE account = @account'
  const params = account === undefined ? {} : { account }
  const configured = JSON.stringify(configuredAccounts)
  store.transaction(() => {
    db.prepare(`DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id${account === undefined ? '' : ' WHERE e.account = @account'})`).run(params)
    db.prepare(`DELETE FROM deliveries WHERE event_id IN (SELECT id FROM events${scope})`).run(params)
    db.prepare(`DELETE FROM events${scope}`).run(params)
    db.prepare(`DELETE FROM transactions${scope}`).run(params)
    db.prepare(`DELETE FROM purses${scope}`).run(params)
    db.prepare(`DELETE FROM customers${scope}`).run(params)
    const keep = "(origin = 'config' AND deleted_at IS NULL AND (account IN (SELECT value FROM json_each(@configured)) OR @account IS NOT NULL))"
    db.prepare(`DELETE FROM subscriptions WHERE NOT ${keep}${account === undefined ? '' : ' AND account = @account'}`)
      .run({ configured, account: account ?? null })
    if (account === undefined) store.accounts.deleteRuntime()
  })
}
