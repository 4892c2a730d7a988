import type { FastifyInstance } from 'fastify'
import { mockClient } from '../../src/cli/mock-client.js'
import { scaled } from './time-scale.js'

export interface Received {
  type: string
  data: Record<string, any>
}

/**
 * A client of GET /_mock/events on a listening app (the CLI's, on a connection of its own): every
 * message it received, and a way to wait for one.
 */
export async function openLiveEvents (url: string, adminToken?: string) {
  const abort = new AbortController()
  const messages = await mockClient({ url, 'admin-token': adminToken }, {}).events(abort.signal)
  const received: Received[] = []
  const waiters = new Set<() => void>()
  const done = (async () => {
    for await (const message of messages) {
      received.push(message)
      for (const wake of waiters) wake()
    }
  })()
  async function waitFor (predicate: (all: Received[]) => boolean, timeoutMs = scaled(5000)): Promise<Received[]> {
    if (predicate(received)) return received
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`timed out waiting on /_mock/events; received ${JSON.stringify(received.map((m) => m.type))}`))
      }, timeoutMs)
      function check (): void {
        if (!predicate(received)) return
        clearTimeout(timer)
        waiters.delete(check)
        resolve(received)
      }
      waiters.add(check)
    })
  }
  await waitFor((all) => all.some((m) => m.type === 'ready'))
  return {
    received,
    waitFor,
    close: async () => { abort.abort(); await done }
  }
}

/** Listens on a free port for the real-socket tests; closed with the app. */
export async function listen (app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' })
}
