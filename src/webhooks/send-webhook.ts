import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { StringDecoder } from 'node:string_decoder'
import { sign } from '../auth/signature.js'
import type { WebhookFaultKind } from '../domain/model.js'
import { Reason } from '../errors.js'

/** An injected webhook fault an attempt was made under, as the delivery log names it. */
export interface AttemptFault {
  id: number
  kind: WebhookFaultKind
}

export interface SendResult {
  ok: boolean
  httpStatus: number | null
  error: string | null
  response: string | null
  durationMs: number
  /** The injected faults the attempt was made under; none when absent. */
  faults?: AttemptFault[]
}

/**
 * How much of a receiver's answer is stored in the delivery log. The log can be read by whoever
 * reaches /_mock, and a receiver may be an internal service: keep enough to debug, not a document.
 */
export const RESPONSE_KEPT_BYTES = 2048
/** How many deliveries the dispatcher has in flight at most, over all subscriptions, by default. */
export const MAX_DELIVERIES_IN_FLIGHT = 64
// Connections to receivers are kept open between deliveries, as a busy sender's would be, and
// dropped after 4 s idle: before Node's default 5 s server keep-alive, so the receiver never
// closes a connection just as a delivery starts on it. As many sockets as the dispatcher may have
// deliveries in flight, so no attempt's deadline runs out while it waits for a socket.
const keepAlive = { keepAlive: true, maxSockets: MAX_DELIVERIES_IN_FLIGHT, timeout: 4000 }
const agents = { http: new HttpAgent(keepAlive), https: new HttpsAgent(keepAlive) }

class AttemptTimeout extends Error {}

/** The connection reached a server the attempt must not talk to (the mock itself). */
class RefusedPeer extends Error {}

/** Why the far end of a new connection is refused, or undefined. */
export type PeerCheck = (address: string, port: number) => string | undefined

function describeFailure (err: unknown, timeoutMs: number, stopped: boolean): string {
  if (err instanceof AttemptTimeout) return `timed out after ${timeoutMs} ms`
  if (stopped) return Reason.webhookStopped
  if (err instanceof RefusedPeer) return err.message
  const code = (err as NodeJS.ErrnoException).code
  const message = err instanceof Error ? err.message : String(err)
  return code !== undefined && !message.startsWith(code) ? `${code}: ${message}` : message
}

/** The start of an answer, cut at a character boundary, and marked with its full length when cut. */
function keptResponse (head: Buffer, totalBytes: number): string {
  if (totalBytes <= RESPONSE_KEPT_BYTES) return head.toString('utf8')
  return new StringDecoder('utf8').write(head.subarray(0, RESPONSE_KEPT_BYTES)) + Reason.responseTruncated(totalBytes)
}

function post (url: URL, bytes: Buffer, headers: Record<string, string>, timeoutMs: number, stop?: AbortSignal, checkPeer?: PeerCheck): Promise<{ status: number, location: string | undefined, text: string }> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:'
    const request = (secure ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { ...headers, 'content-length': String(bytes.length) },
      signal: stop
    }, (response: IncomingMessage) => {
      const head: Buffer[] = []
      let kept = 0
      let total = 0
      response.on('data', (chunk: Buffer) => {
        total += chunk.length
        if (kept > RESPONSE_KEPT_BYTES) return
        head.push(chunk)
        kept += chunk.length
      })
      response.on('end', () => {
        clearTimeout(timer)
        resolve({ status: response.statusCode ?? 0, location: response.headers.location, text: keptResponse(Buffer.concat(head), total) })
      })
      response.on('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
    })
    // A name can resolve to this machine: the far end is checked once connected, before a byte is sent.
    if (checkPeer !== undefined) {
      request.once('socket', (socket) => {
        const check = () => {
          const refused = socket.remoteAddress === undefined || socket.remotePort === undefined ? undefined : checkPeer(socket.remoteAddress, socket.remotePort)
          if (refused !== undefined) request.destroy(new RefusedPeer(Reason.deliveryToSelf(refused)))
        }
        if (socket.remoteAddress !== undefined && !socket.connecting) check()
        else socket.once('connect', check)
      })
    }
    // One deadline for the whole exchange: connecting, sending and reading the answer.
    const timer = setTimeout(() => request.destroy(new AttemptTimeout()), timeoutMs)
    request.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    request.end(bytes)
  })
}

/**
 * One delivery attempt, as Calypso makes it: POST the exact body with `Key` (the subscription's
 * public key) and `Sign` (HMAC-SHA512 of those bytes with its secret key). Only HTTP 200 counts;
 * redirects are not followed.
 */
export async function sendWebhook (target: { url: string, publicKey: string, secretKey: string }, body: string, timeoutMs: number, stop?: AbortSignal, checkPeer?: PeerCheck): Promise<SendResult> {
  const bytes = Buffer.from(body, 'utf8')
  const started = performance.now()
  try {
    const res = await post(new URL(target.url), bytes, { 'content-type': 'application/json', Key: target.publicKey, Sign: sign(bytes, target.secretKey) }, timeoutMs, stop, checkPeer)
    const durationMs = Math.round(performance.now() - started)
    if (res.status === 200) return { ok: true, httpStatus: 200, error: null, response: res.text, durationMs }
    const error = res.status >= 300 && res.status < 400
      ? `HTTP ${res.status}: redirects are not followed${res.location === undefined ? '' : ` (Location: ${res.location})`}`
      : `HTTP ${res.status}: only 200 completes a delivery`
    return { ok: false, httpStatus: res.status, error, response: res.text, durationMs }
  } catch (err) {
    return { ok: false, httpStatus: null, error: describeFailure(err, timeoutMs, stop?.aborted === true), response: null, durationMs: Math.round(performance.now() - started) }
  }
}
