import type { AccountClock } from './clock.js'
import type { IdSource } from './ids.js'
import type { Store } from '../store/open-store.js'

/**
 * What the mock's state changes need: the store, ids and the clock. The webhook dispatcher hears of
 * new deliveries through the store's on-commit hook, so a change never has to wake it.
 */
export interface DomainContext {
  store: Store
  ids: IdSource
  /**
   * Milliseconds since the epoch with their microseconds, which only webhook dates show: the
   * account's test clock, or the machine's when no account is given.
   */
  clock: AccountClock
}

/** The account's time (the machine's without one) as an ISO date, to the millisecond: what the store records. */
export function isoNow (ctx: DomainContext, account?: string): string {
  return new Date(ctx.clock(account)).toISOString()
}
