import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { signMatches } from '../auth/signature.js'

/** A webhook event as Calypso delivers it. */
export interface WebhookEvent {
  requestId: string
  id: number
  createdDate: string
  level: 'INFO' | 'SUCCESS' | 'WARNING'
  service: string
  eventType: string
  data: Record<string, unknown> & { customerId?: string, customerBlocked?: boolean, transactionId?: string }
}

/** Checks a delivery as a merchant must: `Sign` is the HMAC-SHA512 of the raw body with the subscription's secret. */
export function verifyWebhook (rawBody: string | Buffer, headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, secret: string): boolean {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'sign')
  const sign = Array.isArray(entry?.[1]) ? entry[1][0] : entry?.[1]
  return typeof sign === 'string' && signMatches(rawBody, secret, sign)
}

interface Waiter {
  predicate: (event: WebhookEvent) => boolean
  resolve: (event: WebhookEvent) => void
}

/** The built-in receiver: records every verified delivery and answers 200; refuses unverified ones with 401. */
export async function startWebhookInbox (secret: () => string) {
  const events: WebhookEvent[] = []
  const waiters = new Set<Waiter>()
  let rejected = 0
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      if (!verifyWebhook(raw, request.headers, secret())) {
        rejected++
        response.statusCode = 401
        response.end('bad signature')
        return
      }
      const event = JSON.parse(raw.toString('utf8')) as WebhookEvent
      response.statusCode = 200
      response.end('OK')
      // At least once: a redelivered event id is kept once.
      if (events.some((e) => e.id === event.id && e.requestId === event.requestId)) return
      events.push(event)
      for (const waiter of waiters) {
        if (waiter.predicate(event)) {
          waiters.delete(waiter)
          waiter.resolve(event)
        }
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/calypso/webhooks`,
    events: (): WebhookEvent[] => [...events],
    rejected: (): number => rejected,
    clear: (): void => { events.length = 0 },
    wait (predicate: (event: WebhookEvent) => boolean, timeoutMs: number): Promise<WebhookEvent> {
      const found = events.find(predicate)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter)
          reject(new Error(`no matching webhook within ${timeoutMs} ms; received: ${events.map((e) => `${e.eventType}#${e.id}`).join(', ') || 'none'}`))
        }, timeoutMs)
        const waiter: Waiter = { predicate, resolve: (event) => { clearTimeout(timer); resolve(event) } }
        waiters.add(waiter)
      })
    },
    async close (): Promise<void> {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

export type WebhookInbox = Awaited<ReturnType<typeof startWebhookInbox>>
