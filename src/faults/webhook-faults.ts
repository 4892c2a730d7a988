import type { SendResult } from '../webhooks/send-webhook.js'
import { Reason } from '../errors.js'
import { createCountdown, type Counted } from './countdown.js'

export interface WebhookFaultSpec {
  /** Only deliveries of this account's events; every delivery when absent. */
  account?: string | undefined
  /** The HTTP status the failed attempts are recorded with. */
  status: number
  times: number
}

export type WebhookFault = WebhookFaultSpec & Counted

/**
 * A receiver that fails: the next `times` delivery attempts (of the account's events) are recorded
 * as failed with `status`, without being sent, and retried on the schedule as any failure is.
 */
export function createWebhookFaults () {
  const faults = createCountdown<WebhookFaultSpec>()
  return {
    ...faults,
    /** The failed attempt that replaces this delivery's, counting it; undefined when no fault applies. */
    take (account: string): SendResult | undefined {
      const fault = faults.take((f) => f.account === undefined || f.account === account)
      if (fault === undefined) return undefined
      return { ok: false, httpStatus: fault.status, error: Reason.injectedWebhookFault(fault.status, fault.id), response: null, durationMs: 0 }
    }
  }
}

export type WebhookFaults = ReturnType<typeof createWebhookFaults>
