import { sign } from '../auth/signature.js'

export interface SendResult {
  ok: boolean
  httpStatus: number | null
  error: string | null
  response: string | null
  durationMs: number
}

const RESPONSE_KEPT = 512

function describeFailure (err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'aborted: the mock was shutting down'
  }
  const cause = (err as { cause?: { code?: string, message?: string } }).cause
  if (cause?.code !== undefined) return `${cause.code}: ${cause.message ?? ''}`.trim()
  return err instanceof Error ? err.message : String(err)
}

/**
 * One delivery attempt, as Calypso makes it: POST the exact body with `Key` (the subscription's
 * public key) and `Sign` (HMAC-SHA512 of those bytes with its secret key). Only HTTP 200 counts;
 * redirects are not followed.
 */
export async function sendWebhook (target: { url: string, publicKey: string, secretKey: string }, body: string, timeoutMs: number, stop?: AbortSignal): Promise<SendResult> {
  const bytes = Buffer.from(body, 'utf8')
  const started = performance.now()
  const signal = stop === undefined ? AbortSignal.timeout(timeoutMs) : AbortSignal.any([AbortSignal.timeout(timeoutMs), stop])
  try {
    const res = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Key: target.publicKey, Sign: sign(bytes, target.secretKey) },
      body: bytes,
      redirect: 'manual',
      signal
    })
    const text = await res.text()
    const durationMs = Math.round(performance.now() - started)
    const response = text.length > RESPONSE_KEPT ? `${text.slice(0, RESPONSE_KEPT)}…` : text
    if (res.status === 200) return { ok: true, httpStatus: 200, error: null, response, durationMs }
    const error = res.status >= 300 && res.status < 400
      ? `HTTP ${res.status}: redirects are not followed${res.headers.get('location') === null ? '' : ` (Location: ${res.headers.get('location')})`}`
      : `HTTP ${res.status}: only 200 completes a delivery`
    return { ok: false, httpStatus: res.status, error, response, durationMs }
  } catch (err) {
    return { ok: false, httpStatus: null, error: describeFailure(err, timeoutMs), response: null, durationMs: Math.round(performance.now() - started) }
  }
}
