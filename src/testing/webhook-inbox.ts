import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook } from './signatures.js'
import { describeReceived, noMatchingWebhook, type WebhookEvent, type WebhookPredicate } from './webhook-event.js'

interface Waiter {
  predicate: WebhookPredicate
  resolve: (event: WebhookEvent) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
}

function readBody (request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks)))
    request.on('error', reject)
  })
}

function parseEvent (raw: Buffer): WebhookEvent | undefined {
  try {
    return JSON.parse(raw.toString('utf8')) as WebhookEvent
  } catch {
    return undefined
  }
}

function reply (response: ServerResponse, status: number, text: string): void {
  response.statusCode = status
  response.end(text)
}

/**
 * The built-in receiver on 127.0.0.1:0: keeps every delivery whose `Sign` verifies with `secret()`
 * and answers 200; answers 401 to the others, so the mock retries them as Calypso would.
 */
export async function startWebhookInbox (secret: () => string) {
  const events: WebhookEvent[] = []
  const waiters = new Set<Waiter>()
  let rejected = 0

  function settle (waiter: Waiter): void {
    clearTimeout(waiter.timer)
    waiters.delete(waiter)
  }

  function keep (event: WebhookEvent): void {
    // At least once: a redelivered event id is kept once.
    if (events.some((e) => e.id === event.id && e.requestId === event.requestId)) return
    events.push(event)
    for (const waiter of waiters) {
      if (!waiter.predicate(event)) continue
      settle(waiter)
      waiter.resolve(event)
    }
  }

  async function receive (request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request)
    const event = verifyWebhook(raw, request.headers, secret()) ? parseEvent(raw) : undefined
    if (event === undefined) {
      rejected++
      reply(response, 401, 'bad signature')
      return
    }
    reply(response, 200, 'OK')
    keep(event)
  }

  const server: Server = createServer((request, response) => {
    receive(request, response).catch(() => reply(response, 400, 'unreadable'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/calypso/webhooks`,
    events: (): WebhookEvent[] => [...events],
    /** How many requests were refused for a bad signature. */
    rejected: (): number => rejected,
    clear: (): void => { events.length = 0 },
    wait (predicate: WebhookPredicate, timeoutMs: number): Promise<WebhookEvent> {
      const found = events.find(predicate)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            settle(waiter)
            reject(noMatchingWebhook(timeoutMs, events))
          }, timeoutMs)
        }
        waiters.add(waiter)
      })
    },
    /** Stops listening; a wait still pending fails at once instead of at its timeout. */
    async close (): Promise<void> {
      for (const waiter of waiters) {
        settle(waiter)
        waiter.reject(new Error(`calypso-mock closed before a matching webhook arrived; received: ${describeReceived(events)}`))
      }
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

export type WebhookInbox = Awaited<ReturnType<typeof startWebhookInbox>>
