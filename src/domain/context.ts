import type { IdSource } from './ids.js'
import type { Store } from '../store/open-store.js'

/**
 * What the mock's state changes need: the store, ids and the clock. The webhook dispatcher hears of
 * new deliveries through the store's on-commit hook, so a change never has to wake it.
 */
export interface DomainContext {
  store: Store
  ids: IdSource
  /** Milliseconds since the epoch with their microseconds, which only webhook dates show. */
  clock: () => number
}

/** The context's time as an ISO date, to the millisecond: what the store records. */
export function isoNow (ctx: DomainContext): string {
  return new Date(ctx.clock()).toISOString()
}
