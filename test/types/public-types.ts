/**
 * Guards the library's public types: compiled by `npm run typecheck` (part of `npm test`), never
 * run. A line marked @ts-expect-error fails the type-check when the mistake under it compiles.
 */
import { expectTypeOf } from 'expect-type'
import type {
  ApiAnswer, CalypsoMock, Currency, Customer, DepositRequest, MockTransaction, WebhookDelivery, WebhookEvent, WebhookEventType
} from '../../src/index.js'

declare const mock: CalypsoMock

// The delivered body: the event type is a literal union and customerBlocked is a boolean, always there.
expectTypeOf<WebhookEvent['eventType']>().toEqualTypeOf<WebhookEventType>()
expectTypeOf<WebhookEvent['data']['customerBlocked']>().toEqualTypeOf<boolean>()
expectTypeOf<WebhookEvent['data']['currency']>().toEqualTypeOf<Currency | undefined>()
expectTypeOf<WebhookEvent['level']>().toEqualTypeOf<'INFO' | 'SUCCESS' | 'WARNING'>()
expectTypeOf<WebhookDelivery['eventType']>().toEqualTypeOf<WebhookEventType>()
expectTypeOf<MockTransaction['currency']>().toEqualTypeOf<Currency>()
expectTypeOf<DepositRequest['currency']>().toEqualTypeOf<Currency>()
expectTypeOf<ApiAnswer<'customer-purse/customer/create'>>().toEqualTypeOf<Customer>()
expectTypeOf(mock.request('customer-purse/address/get', { customerId: 'c', currency: 'BTC' })).resolves.toEqualTypeOf<{ id: string, address: string }>()
expectTypeOf(mock.waitForWebhook({ transactionId: 't', eventType: 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' })).resolves.toEqualTypeOf<WebhookEvent>()
expectTypeOf(mock[Symbol.asyncDispose]).returns.resolves.toBeVoid()

export async function typos (): Promise<void> {
  // @ts-expect-error a misspelt event type
  await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_FUNDS_RECIEVED_FOR_PURSE' })
  // @ts-expect-error a misspelt currency
  await mock.deposit({ customerId: 'c', currency: 'USDT_TRN', amount: 1 })
  // @ts-expect-error a misspelt API path
  await mock.request('customer-purse/customer/craete', {})
  // @ts-expect-error a misspelt currency in a payload
  await mock.request('customer-purse/address/get', { customerId: 'c', currency: 'USDT_TRN' })
  // @ts-expect-error a payload of another path
  await mock.request('customer-purse/customer/block', { transactionId: 't' })
  // @ts-expect-error a deposit needs its amount
  await mock.deposit({ customerId: 'c', currency: 'BTC' })
  // @ts-expect-error a pause state that does not exist
  await mock.advance('t', { stopAt: 'CREDITED' })
  // @ts-expect-error a misspelt path of a fault
  await mock.fault({ path: 'customer-purse/customer/craete', errorCode: '000' })
  const event = await mock.waitForWebhook({ eventType: 'CUSTOMER_PURSE_EXPIRED' })
  // @ts-expect-error customerBlocked is a boolean, not a string
  const blocked: string = event.data.customerBlocked
  void blocked
}
