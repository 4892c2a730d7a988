import { matcher, noMatchingWebhook, type WebhookEvent, type WebhookMatch, type WebhookPredicate } from './webhook-event.js'

export interface WaitForWebhookOptions {
  /** 5000 ms by default. */
  timeout?: number
  /** Only events with a larger id, as GET /_mock/webhooks/wait takes it. */
  afterEventId?: number
}

interface Waiter {
  accepts: WebhookPredicate
  resolve: (event: WebhookEvent) => void
  reject: (err: Error) => void
  timer: NodeJS.Timeout
  deadline: number
}

export const DEFAULT_WAIT_MS = 5000

/**
 * One account's received events and the waits on them. A wait returns the oldest kept event that
 * matches and that no earlier wait returned, or else the first matching one to arrive; either way
 * that event is then taken: a later wait never returns it again, but does return a matching event
 * that arrived before it started. Each event is kept once, by id (deliveries are at least once).
 */
export function createWebhookWaits () {
  const events: WebhookEvent[] = []
  const kept = new Set<number>()
  const taken = new Set<number>()
  const waiters = new Set<Waiter>()
  let resetAt = 0

  function settle (waiter: Waiter): void {
    clearTimeout(waiter.timer)
    waiters.delete(waiter)
  }

  return {
    add (event: WebhookEvent): void {
      if (event.id <= resetAt || kept.has(event.id)) return
      kept.add(event.id)
      events.push(event)
      for (const waiter of waiters) {
        if (!waiter.accepts(event)) continue
        taken.add(event.id)
        settle(waiter)
        waiter.resolve(event)
        return
      }
    },
    wait (match: WebhookMatch, { timeout = DEFAULT_WAIT_MS, afterEventId }: WaitForWebhookOptions = {}): Promise<WebhookEvent> {
      const accepts = matcher(match, afterEventId)
      const found = events.find((e) => !taken.has(e.id) && accepts(e))
      if (found !== undefined) {
        taken.add(found.id)
        return Promise.resolve(found)
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          accepts,
          resolve,
          reject,
          deadline: Date.now() + timeout,
          timer: setTimeout(() => {
            settle(waiter)
            reject(noMatchingWebhook(timeout, events))
          }, timeout)
        }
        waiters.add(waiter)
      })
    },
    events: (): WebhookEvent[] => [...events],
    /** How long the longest open wait still runs, in ms; 0 when none is open. */
    longestWaitMs: (): number => Math.max(0, ...[...waiters].map((w) => w.deadline - Date.now())),
    /** Forgets every event; one of `lastEventId` or older, still in flight at the reset, is ignored when it arrives. */
    clear (lastEventId = 0): void {
      resetAt = Math.max(resetAt, lastEventId)
      events.length = 0
      kept.clear()
      taken.clear()
    },
    /** Ends every open wait with `reason`. */
    fail (reason: (received: readonly WebhookEvent[]) => Error): void {
      for (const waiter of waiters) {
        settle(waiter)
        waiter.reject(reason(events))
      }
    }
  }
}

export type WebhookWaits = ReturnType<typeof createWebhookWaits>
