import { generateAddress } from './addresses.js'
import { addressFamily } from './currencies.js'
import type { Currency } from './model.js'
import type { Purse } from '../store/purses-repository.js'
import type { DomainContext } from './context.js'

/** A purse that receives nothing expires after this long (Calypso's documented 30 days). */
export const PURSE_IDLE_LIFETIME_MS = 30 * 24 * 3600 * 1000

/**
 * The customer's active address for the currency's chain family, created on first use. Every
 * currency of the family gets the same purse; an expired or declined address is never handed out
 * again, so once none is active a new purse gets a new address.
 */
export function getOrCreatePurse (ctx: DomainContext, account: string, customerId: string, currency: Currency): Purse {
  const { store, ids } = ctx
  return store.transaction(() => {
    const existing = store.purses.findActive(customerId, currency)
    if (existing !== undefined) return existing.currencies.includes(currency) ? existing : store.purses.addCurrency(existing.id, currency)
    const network = addressFamily(currency)
    const nowMs = ctx.clock(account)
    return store.purses.create({
      id: ids.uuid(),
      account,
      customerId,
      currency,
      network,
      address: generateAddress(network, ids.bytes),
      now: new Date(nowMs).toISOString(),
      expiresAt: new Date(nowMs + PURSE_IDLE_LIFETIME_MS).toISOString()
    })
  })
}
