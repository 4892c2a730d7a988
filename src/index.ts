/**
 * calypso-mock as a library for merchants' test suites: start the mock in-process, sign requests
 * as Calypso expects them, and verify webhooks as Calypso signs them.
 */
export { startCalypsoMock, CalypsoError } from './testing/start-calypso-mock.js'
export type { CalypsoMock, CalypsoMockOptions, DepositRequest, MockTransaction } from './testing/start-calypso-mock.js'
export { verifyWebhook } from './testing/webhook-inbox.js'
export type { WebhookEvent } from './testing/webhook-inbox.js'
export { buildApp } from './app.js'
export { loadConfig } from './config.js'
export type { Config } from './config.js'

import { sign } from './auth/signature.js'

/** Calypso's `Sign` header for a request body: lowercase hex HMAC-SHA512 keyed with the api secret. */
export function signRequest (body: string, secret: string): string {
  return sign(body, secret)
}
