import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { verifyWebhook } from './signatures.js'
import type { WebhookEvent } from './webhook-event.js'

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
 * The built-in receiver on 127.0.0.1:0: answers 200 to every delivery whose `Sign` verifies with
 * `secret()` and hands the event to `deliver`; answers 401 to the others, so the mock retries them
 * as Calypso would.
 */
export async function startWebhookInbox (secret: () => string, deliver: (event: WebhookEvent) => void) {
  let rejected = 0

  async function receive (request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request)
    const event = verifyWebhook(raw, request.headers, secret()) ? parseEvent(raw) : undefined
    if (event === undefined) {
      rejected++
      reply(response, 401, 'bad signature')
      return
    }
    reply(response, 200, 'OK')
    deliver(event)
  }

  const server: Server = createServer((request, response) => {
    receive(request, response).catch(() => reply(response, 400, 'unreadable'))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/calypso/webhooks`,
    /** How many requests were refused for a bad signature. */
    rejected: (): number => rejected,
    async close (): Promise<void> {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

export type WebhookInbox = Awaited<ReturnType<typeof startWebhookInbox>>
