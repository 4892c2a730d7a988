import type { StoreChange } from '../store/commit-log.js'
import type { Store } from '../store/open-store.js'

/** One server-sent event: its `event:` name and its JSON `data`. */
export interface LiveMessage {
  type: 'customer' | 'purse' | 'transaction' | 'delivery' | 'subscription' | 'account' | 'reset' | 'clock' | 'refresh'
  data: Record<string, unknown>
}

/** A commit larger than this (a reset of thousands, a seed) is announced as one `refresh`, not row by row. */
const MAX_CHANGES_PER_COMMIT = 200

function one (store: Store, change: StoreChange): LiveMessage | undefined {
  switch (change.kind) {
    case 'customer': {
      const customer = store.customers.findStored(change.customerId)
      return customer && { type: 'customer', data: { action: change.created ? 'created' : 'updated', customer } }
    }
    case 'purse': {
      const purse = store.purses.findById(change.purseId)
      return purse && { type: 'purse', data: { action: change.created ? 'created' : 'updated', purse } }
    }
    case 'event': {
      // Each step of a deposit and each expiry emits an event: the transaction or purse it moved.
      if (change.transactionId !== null) {
        const transaction = store.transactions.progress(change.transactionId)
        return transaction && { type: 'transaction', data: { eventType: change.eventType, transaction } }
      }
      const purse = change.purseId === null ? undefined : store.purses.findById(change.purseId)
      return purse && { type: 'purse', data: { action: 'updated', eventType: change.eventType, purse } }
    }
    case 'delivery': {
      const delivery = store.deliveries.findById(change.deliveryId)
      return delivery && { type: 'delivery', data: { action: change.change, delivery } }
    }
    case 'subscription': return { type: 'subscription', data: { account: change.account } }
    case 'account': return { type: 'account', data: { account: change.account } }
    case 'reset': return { type: 'reset', data: { account: change.account } }
    case 'clock': return { type: 'clock', data: { account: change.account, offsetMs: store.clocks.offsetOf(change.account) } }
  }
}

/** The messages that tell clients what one commit changed, read as it stands just after that commit. */
export function changeMessages (store: Store, changes: readonly StoreChange[]): LiveMessage[] {
  if (changes.length > MAX_CHANGES_PER_COMMIT) return [{ type: 'refresh', data: { changes: changes.length } }]
  const messages: LiveMessage[] = []
  for (const change of changes) {
    const message = one(store, change)
    if (message !== undefined) messages.push(message)
  }
  return messages
}
