import type { DomainContext } from './context.js'

/**
 * Empties the mock's data, for every account or one. Configured accounts and their WEBHOOK_URL
 * subscriptions survive; accounts created at run time go with a full reset.
 */
export function resetData (ctx: DomainContext, configuredAccounts: readonly string[], account?: string): void {
  const { store } = ctx
  store.transaction(() => {
    store.deleteData(configuredAccounts, account)
    if (account === undefined) store.accounts.deleteRuntime()
  })
}
