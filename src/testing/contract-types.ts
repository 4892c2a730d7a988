/**
 * The library's types, each derived from the zod schema the server validates and answers with
 * (src/schemas), so the two cannot drift. Currency codes are narrowed to the mock's list, so a typo
 * fails to compile instead of failing at run time.
 */
import type { z } from 'zod'
import type { Currency } from '../domain/model.js'
import type { createCustomerPayload, customer, customerIdPayload, updateCustomerPayload } from '../schemas/customer.js'
import type { accountCredentials } from '../schemas/mock/accounts.js'
import type { clockAdvanceReport, clockState } from '../schemas/mock/clock.js'
import type { depositRequest } from '../schemas/mock/deposits.js'
import type { fault, faultRequest } from '../schemas/mock/faults.js'
import type { journalEntry, journalQuery } from '../schemas/mock/requests.js'
import type { advanceRequest, mockTransaction } from '../schemas/mock/transactions.js'
import type { snapshotSummary } from '../schemas/mock/snapshots.js'
import type { deliveryQuery } from '../schemas/mock/webhooks/deliveries.js'
import type { webhookFault, webhookFaultRequest } from '../schemas/mock/webhooks/faults.js'
import type { addressPayload, purse, purseAddress, purseList } from '../schemas/purse.js'
import type { findTransactionsPayload, transaction, transactionIdPayload, transactionPage } from '../schemas/transaction.js'
import type { createWebhookPayload, webhookChannel, webhookList } from '../schemas/webhook.js'
import type { deliveryAttempt, webhookDelivery } from '../schemas/webhook-event.js'

type WithCurrency<T> = T extends { currency: unknown } ? Omit<T, 'currency'> & { currency: Currency } : T

export type { Currency }
export type Customer = z.output<typeof customer>
export type Transaction = WithCurrency<z.output<typeof transaction>>
export type Purse = WithCurrency<z.output<typeof purse>>
export type WebhookChannel = z.output<typeof webhookChannel>

/** Each path under /api/v1 that `request` signs and POSTs: its payload and its answer. */
export interface CalypsoApi {
  'customer-purse/customer/create': { payload: z.input<typeof createCustomerPayload>, answer: Customer }
  'customer-purse/customer/update': { payload: z.input<typeof updateCustomerPayload>, answer: Customer }
  'customer-purse/customer/block': { payload: z.input<typeof customerIdPayload>, answer: Customer }
  'customer-purse/customer/unblock': { payload: z.input<typeof customerIdPayload>, answer: Customer }
  'customer-purse/address/get': { payload: WithCurrency<z.input<typeof addressPayload>>, answer: z.output<typeof purseAddress> }
  'customer-purse/purse/get-all': { payload: z.input<typeof customerIdPayload>, answer: Array<WithCurrency<z.output<typeof purseList>[number]>> }
  'customer-purse/transaction/get': { payload: z.input<typeof transactionIdPayload>, answer: Transaction }
  'customer-purse/transaction/find': { payload: z.input<typeof findTransactionsPayload>, answer: Omit<z.output<typeof transactionPage>, 'result'> & { result: Transaction[] } }
  'subscription/webhook': { payload: undefined, answer: z.output<typeof webhookList> }
  'subscription/webhook/create': { payload: z.input<typeof createWebhookPayload>, answer: WebhookChannel }
}

export type ApiPath = keyof CalypsoApi
export type ApiPayload<P extends ApiPath> = CalypsoApi[P]['payload']
export type ApiAnswer<P extends ApiPath> = CalypsoApi[P]['answer']

/** The body of POST /_mock/deposits: give `customerId` or `address`. */
export type DepositRequest = WithCurrency<z.input<typeof depositRequest>>
/** A transaction as /_mock/deposits answers it, with the mock's bookkeeping. */
export type MockTransaction = WithCurrency<z.output<typeof mockTransaction>>
export type AdvanceOptions = NonNullable<z.input<typeof advanceRequest>>

/** An injected fault: the next `times` calls to `path` by this account answer as told. */
export type FaultSpec = Omit<z.input<typeof faultRequest>, 'path' | 'account'> & { path: ApiPath | `/api/v1/${ApiPath}` }
export type MockFault = z.output<typeof fault>
export type MockWebhookFault = z.output<typeof webhookFault>
/** A webhook fault for this account's deliveries: `kind` (fail when absent) and what that kind takes. */
export type WebhookFaultSpec = Omit<NonNullable<z.input<typeof webhookFaultRequest>>, 'account'>
/** An account's test clock (GET /_mock/clock). */
export type MockClock = z.output<typeof clockState>
/** What POST /_mock/clock/advance answers: the clock and what fell due on the way. */
export type MockClockAdvance = z.output<typeof clockAdvanceReport>

/** An entry of the request journal (GET /_mock/requests). */
export type JournalEntry = z.output<typeof journalEntry>
export type JournalQuery = Partial<z.output<typeof journalQuery>>

/** A delivery as GET /_mock/webhooks/deliveries lists it, with the exact body sent. */
export type WebhookDelivery = z.output<typeof webhookDelivery>
/** One attempt at a delivery. */
export type DeliveryAttempt = z.output<typeof deliveryAttempt>
/** Filters of GET /_mock/webhooks/deliveries; newest first, 100 by default. */
export type DeliveriesQuery = Partial<z.output<typeof deliveryQuery>>

export type AccountCredentials = z.output<typeof accountCredentials>

/** A named copy of one account's data (GET /_mock/snapshots). */
export type Snapshot = z.output<typeof snapshotSummary>
