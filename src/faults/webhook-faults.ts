import type { WebhookFaultKind } from '../domain/model.js'
import { createCountdown, type Counted } from './countdown.js'

export interface WebhookFaultSpec {
  kind: WebhookFaultKind
  /** Only deliveries of this account's events; every delivery when absent. */
  account?: string | undefined
  /** Only events of this type; every event when absent. */
  eventType?: string | undefined
  /** How many uses (attempts, events or batches, by kind); Infinity until cleared. */
  times: number
  /** fail: the HTTP status the failed attempts are recorded with. */
  status?: number | undefined
  /** delay: the wait before each send; duplicate and stale: how long after the first send the copy is due. */
  delayMs?: number | undefined
  /** reorder: how many events are held before they are sent in reverse. */
  count?: number | undefined
}

export type WebhookFault = WebhookFaultSpec & Counted

/** A fault as the /_mock routes show it: a fault that lasts until cleared has no count. */
export interface WebhookFaultView extends Omit<WebhookFault, 'times' | 'remaining'> {
  times: number | null
  remaining: number | null
  untilCleared: boolean
}

export function faultView (fault: WebhookFault): WebhookFaultView {
  const untilCleared = fault.times === Infinity
  return { ...fault, times: untilCleared ? null : fault.times, remaining: untilCleared ? null : fault.remaining, untilCleared }
}

/** What a fault is matched against: the delivery's account and event type. */
export interface FaultTarget {
  account: string
  eventType: string
}

/**
 * The webhook faults waiting for deliveries, oldest first: each kind is taken by the deliveries it
 * applies to, counting one use each time (see webhooks/delivery-chaos.ts for what each kind does).
 */
export function createWebhookFaults () {
  const faults = createCountdown<WebhookFaultSpec>()
  const applies = (kind: WebhookFaultKind, target: FaultTarget) => (f: WebhookFault): boolean =>
    f.kind === kind && (f.account === undefined || f.account === target.account) && (f.eventType === undefined || f.eventType === target.eventType)
  return {
    ...faults,
    /** The oldest fault of `kind` for this delivery, counting this use; undefined when none applies. Cheap when empty. */
    take: (kind: WebhookFaultKind, target: FaultTarget): WebhookFault | undefined => faults.take(applies(kind, target)),
    /** Whether a fault of `kind` would apply, without counting a use. */
    has: (kind: WebhookFaultKind, target: FaultTarget): boolean => faults.size() > 0 && faults.list().some(applies(kind, target)),
    /** Clears every fault, or those of one account (a fault for every account stays). */
    clearOf: (account?: string): number => faults.clear((f) => account === undefined || f.account === account)
  }
}

export type WebhookFaults = ReturnType<typeof createWebhookFaults>
