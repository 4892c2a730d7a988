// Calypso's request signature, in the browser: Sign is the lowercase hex HMAC-SHA512 of the exact
// body bytes, keyed with the api secret. Used by the dashboard's API actions and by /docs.

const encoder = new TextEncoder()

/** Lowercase hex HMAC-SHA512 of `text` (as UTF-8) with `secret`, through WebCrypto. */
export async function hmacSha512Hex (secret, text) {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign'])
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(text)))
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** The body and headers of a signed /api/v1 call: the envelope serialised once, signed as sent, with a fresh timestamp. */
export async function signedRequest (credentials, payload) {
  const envelope = { account: credentials.account, timestamp: Date.now() }
  if (payload !== undefined) envelope.payload = payload
  const body = JSON.stringify(envelope)
  return {
    body,
    headers: { 'Content-Type': 'application/json', Key: credentials.apiKey, Sign: await hmacSha512Hex(credentials.apiSecret, body) }
  }
}
