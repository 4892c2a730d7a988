import type { Currency } from './model.js'
import type { Purse } from '../store/purses-repository.js'
import type { TransactionProgress } from '../store/transactions-repository.js'
import type { CustomerPurseEventData } from '../webhooks/outbox.js'
import type { DomainContext } from './context.js'

/** An event's `data`, with the customer's blocked flag read as it stands now, inside the emitting transaction. */
export function eventData (ctx: DomainContext, purse: Purse, transaction?: TransactionProgress): CustomerPurseEventData {
  const blocked = ctx.store.customers.findById(purse.account, purse.customerId)?.blocked ?? false
  const base = { customerId: purse.customerId, customerBlocked: blocked, blocked, purseId: purse.id, address: purse.address }
  if (transaction === undefined) return base
  return {
    ...base,
    transactionId: transaction.id,
    amount: transaction.amount,
    // Stored only after isCurrency accepted it.
    currency: transaction.currency as Currency,
    ...(transaction.transactionHash === undefined ? {} : { transactionHash: transaction.transactionHash })
  }
}
