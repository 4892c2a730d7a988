/**
 * calypso-mock as a library for merchants' test suites: start the mock in-process, sign requests
 * as Calypso expects them, and verify webhooks as Calypso signs them. Every type derives from the
 * zod schemas the server validates with (src/schemas).
 */
export { connectCalypsoMock, startCalypsoMock } from './testing/start-calypso-mock.js'
export type { CalypsoMock, CalypsoMockOptions } from './testing/start-calypso-mock.js'
export type { WaitForWebhookOptions } from './testing/webhook-waits.js'
export { CalypsoError } from './testing/mock-http.js'
export type {
  AccountCredentials, AdvanceOptions, ApiAnswer, ApiPath, ApiPayload, CalypsoApi, Currency, Customer, DeliveriesQuery,
  DeliveryAttempt, DepositRequest, FaultSpec, JournalEntry, JournalQuery, MockClock, MockClockAdvance, MockFault, MockTransaction,
  MockWebhookFault, Purse, Transaction, WebhookChannel, WebhookDelivery, WebhookFaultSpec
} from './testing/contract-types.js'
export type { WebhookEvent, WebhookEventType, WebhookFilter, WebhookMatch, WebhookPredicate } from './testing/webhook-event.js'
export { signRequest, verifyWebhook } from './testing/signatures.js'
export type { WebhookHeaders } from './testing/signatures.js'
