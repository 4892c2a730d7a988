import { randomUUID } from 'node:crypto'
import { CalypsoError, type MockClient } from './mock-http.js'
import type { WebhookEvent } from './webhook-event.js'
import type { WebhookWaits } from './webhook-waits.js'

/** The longest long poll GET /_mock/webhooks/wait accepts. */
const MAX_POLL_MS = 120_000

/**
 * Feeds an account's waits from GET /_mock/webhooks/wait, for webhooks that go to a URL of the
 * caller's or to another process's receiver. It polls under a consumer name of its own, so the
 * server hands it every delivered event of the account once, late retries included; the waits
 * then apply the predicate and the take-once rule here. It polls only while a wait is open.
 */
export function createDeliveryLogFeed (mock: MockClient, account: string, waits: WebhookWaits) {
  const consumer = `calypso-mock-library-${randomUUID()}`
  const stop = new AbortController()
  let polling = false

  async function poll (): Promise<void> {
    polling = true
    try {
      for (let remaining = waits.longestWaitMs(); remaining > 0 && !stop.signal.aborted; remaining = waits.longestWaitMs()) {
        try {
          const { event } = await mock.get<{ event: WebhookEvent }>('webhooks/wait', { account, consumer, timeoutMs: Math.min(Math.ceil(remaining), MAX_POLL_MS) }, stop.signal)
          waits.add(event)
        } catch (err) {
          if (err instanceof CalypsoError && err.status === 408) continue
          if (!stop.signal.aborted) waits.fail(() => err instanceof Error ? err : new Error(String(err)))
          return
        }
      }
    } finally {
      polling = false
    }
  }

  return {
    /** Call after opening a wait: polls until no wait is open. */
    pump (): void {
      if (!polling) void poll()
    },
    close (): void {
      stop.abort()
    }
  }
}
