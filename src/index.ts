/**
 * calypso-mock as a library for merchants' test suites: start the mock in-process, sign requests
 * as Calypso expects them, and verify webhooks as Calypso signs them.
 */
export { startCalypsoMock } from './testing/start-calypso-mock.js'
export type { CalypsoMock, CalypsoMockOptions, DepositRequest, MockTransaction, WaitForWebhookOptions } from './testing/start-calypso-mock.js'
export { CalypsoError } from './testing/mock-http.js'
export type { DeliveriesQuery, DeliveryAttempt, WebhookDelivery } from './testing/delivery-log.js'
export type { WebhookEvent, WebhookPredicate } from './testing/webhook-event.js'
export { signRequest, verifyWebhook } from './testing/signatures.js'
export type { WebhookHeaders } from './testing/signatures.js'
