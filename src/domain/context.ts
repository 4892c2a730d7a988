import type { IdSource } from './ids.js'
import type { Store } from '../store/store.js'

/** What the mock's state changes need: the store, ids, the clock, and a way to wake the webhook dispatcher after commit. */
export interface DomainContext {
  store: Store
  ids: IdSource
  /** Milliseconds since the epoch with their microseconds, which only webhook dates show. */
  clock: () => number
  /** Call after a transaction that emitted events has committed. */
  wake: () => void
}
