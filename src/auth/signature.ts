import { createHmac, timingSafeEqual } from 'node:crypto'

/** Calypso's `Sign`: lowercase hex HMAC-SHA512 of the exact body bytes, keyed with the secret. */
export function sign (body: string | Uint8Array, secret: string): string {
  return createHmac('sha512', secret).update(body).digest('hex')
}

const SIGN_PATTERN = /^[0-9a-fA-F]{128}$/

export function isWellFormedSign (value: string): boolean {
  return SIGN_PATTERN.test(value)
}

/** Constant-time comparison of a received `Sign` against the HMAC of the raw bytes. */
export function signMatches (body: string | Uint8Array, secret: string, received: string): boolean {
  if (!isWellFormedSign(received)) return false
  const expected = createHmac('sha512', secret).update(body).digest()
  return timingSafeEqual(expected, Buffer.from(received, 'hex'))
}
