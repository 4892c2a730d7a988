import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { merchantAccepts } from './calypso-signature.js'
import { scaled } from './time-scale.js'

export interface ReceivedWebhook {
  key: string | undefined
  sign: string | undefined
  /** Whether `Sign` is the HMAC-SHA512 of the raw body with the secret, checked as a merchant checks it. */
  verified: boolean
  rawBody: string
  body: { requestId: string, id: number, createdDate: string, level: string, service: string, eventType: string, data: Record<string, unknown> }
  /** The status this receiver answered with. */
  answered: number
}

/** The status to answer; `verified` says whether Sign checked out, as a merchant's receiver would check it. */
type Behaviour = (request: IncomingMessage, index: number, verified: boolean) => number | Promise<number>

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/**
 * A merchant's webhook endpoint on 127.0.0.1:0: verifies `Sign` over the raw bytes with the
 * subscription secret, records every request, and answers with what `behaviour` says (200 by default).
 * Started `down`, it resets every connection until `up()`: a receiver that comes up later on the
 * same URL, without closing a port and hoping to get it back.
 */
export async function startReceiver (t: Teardown, options: { down?: boolean } = {}) {
  const received: ReceivedWebhook[] = []
  const waiters = new Set<() => void>()
  let secret = ''
  let behaviour: Behaviour = () => 200
  let index = 0
  let down = options.down === true

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (down) { request.socket.destroy(); return }
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      const sign = request.headers.sign as string | undefined
      const verified = merchantAccepts(raw, secret, sign)
      void Promise.resolve(behaviour(request, index++, verified)).then((status) => {
        received.push({
          key: request.headers.key as string | undefined,
          sign,
          verified,
          rawBody: raw.toString('utf8'),
          body: JSON.parse(raw.toString('utf8')),
          answered: status
        })
        response.statusCode = status
        response.end(status === 200 ? 'OK' : 'not now')
        for (const wake of waiters) wake()
      })
    })
  })
  server.on('connection', (socket: Socket) => { if (down) socket.destroy() })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  t.teardown(close)

  return {
    url: `http://127.0.0.1:${port}/calypso/webhooks`,
    received,
    /** Only requests this receiver answered 200: what a merchant's system acted on. */
    accepted: () => received.filter((r) => r.answered === 200),
    setSecret: (value: string) => { secret = value },
    answer: (next: Behaviour) => { behaviour = next },
    /** Stops resetting connections: the receiver is up. */
    up: () => { down = false },
    close,
    /** Resolves once `predicate` holds for what was received; rejects after `timeoutMs` (a guard at the run's time scale, not a measurement). */
    async waitFor (predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs = scaled(10_000)): Promise<ReceivedWebhook[]> {
      if (predicate(received)) return received
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for webhooks; received: ${JSON.stringify(received.map((r) => [r.body.eventType, r.answered]))}`))
        }, timeoutMs)
        const check = () => {
          if (!predicate(received)) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(received)
        }
        waiters.add(check)
      })
    }
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>
