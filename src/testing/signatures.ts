import { sign, signMatches } from '../auth/signature.js'

/** Incoming HTTP headers as node:http, Express or Fastify give them; names in any case. */
export type WebhookHeaders = Record<string, string | string[] | undefined>

/** Calypso's `Sign` header for a request body: lowercase hex HMAC-SHA512 of the exact bytes, keyed with the api secret. */
export function signRequest (body: string, secret: string): string {
  return sign(body, secret)
}

function headerValue (headers: WebhookHeaders, name: string): string | undefined {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name)
  const value = entry?.[1]
  return Array.isArray(value) ? value[0] : value
}

/** Checks a delivery as a merchant must: `Sign` is the HMAC-SHA512 of the raw body with the subscription's secret (compared in constant time). */
export function verifyWebhook (rawBody: string | Buffer, headers: WebhookHeaders, secret: string): boolean {
  const received = headerValue(headers, 'sign')
  return received !== undefined && signMatches(rawBody, secret, received)
}
