import type { AccountClock } from './clock.js'
import type { IdSource } from './ids.js'
import type { Store } from '../store/store.js'

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
