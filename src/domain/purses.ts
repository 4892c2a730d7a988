import { generateAddress } from './addresses.js'
import { addressFamily } from './currencies.js'
import type { Currency } from './model.js'
import type { IdSource } from './ids.js'
import type { Purse } from '../store/purses-repository.js'
import type { Store } from '../store/store.js'

/** A purse that receives nothing expires after this long (Calypso's documented 30 days). */
export const PURSE_IDLE_LIFETIME_MS = 30 * 24 * 3600 * 1000

/**
 * The customer's active purse for a currency, created on first use. A new purse reuses the
 * address the customer already has on the same family of chains, as Calypso's addresses do.
 */
export function getOrCreatePurse (store: Store, ids: IdSource, account: string, customerId: string, currency: Currency, nowMs: number): Purse {
  return store.transaction(() => {
    const existing = store.purses.findActive(customerId, currency)
    if (existing !== undefined) return existing
    const network = addressFamily(currency)
    return store.purses.create({
      id: ids.uuid(),
      account,
      customerId,
      currency,
      network,
      address: store.purses.findFamilyAddress(customerId, network) ?? generateAddress(network, ids.bytes),
      now: new Date(nowMs).toISOString(),
      expiresAt: new Date(nowMs + PURSE_IDLE_LIFETIME_MS).toISOString()
    })
  })
}
