import type { SendResult } from '../webhooks/send-webhook.js'

export interface WebhookFaultSpec {
  /** Only deliveries of this account's events; every delivery when absent. */
  account?: string | undefined
  /** The HTTP status the failed attempts are recorded with. */
  status: number
  times: number
}

export interface WebhookFault extends WebhookFaultSpec {
  id: number
  remaining: number
  createdDate: string
}

/**
 * A receiver that fails: the next `times` delivery attempts (of the account's events) are recorded
 * as failed with `status`, without being sent, and retried on the schedule as any failure is.
 */
export function createWebhookFaults () {
  let faults: WebhookFault[] = []
  let next = 1

  return {
    add (spec: WebhookFaultSpec, now: string): WebhookFault {
      const fault: WebhookFault = { ...spec, id: next++, remaining: spec.times, createdDate: now }
      faults.push(fault)
      return fault
    },
    /** The failed attempt that replaces this delivery's, counting it; undefined when no fault applies. */
    take (account: string): SendResult | undefined {
      if (faults.length === 0) return undefined
      const fault = faults.find((f) => f.account === undefined || f.account === account)
      if (fault === undefined) return undefined
      fault.remaining--
      if (fault.remaining <= 0) faults = faults.filter((f) => f !== fault)
      return { ok: false, httpStatus: fault.status, error: `HTTP ${fault.status}: injected by /_mock/webhooks/faults (fault ${fault.id})`, response: null, durationMs: 0 }
    },
    list: (): WebhookFault[] => faults.map((f) => ({ ...f })),
    clear (): number {
      const count = faults.length
      faults = []
      return count
    }
  }
}

export type WebhookFaults = ReturnType<typeof createWebhookFaults>
