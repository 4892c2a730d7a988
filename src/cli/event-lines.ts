import type { JournalEntry, WebhookDelivery } from '../index.js'

function clock (iso: string): string {
  return iso.slice(11, 23)
}

/** One line per delivery attempt: when, the event type, the customer, the result and how long it took. */
export function attemptLine (delivery: WebhookDelivery, number: number): string {
  const attempt = delivery.attempts.find((a) => a.number === number)
  if (attempt === undefined) return ''
  const result = attempt.httpStatus === 200 ? 'delivered HTTP 200' : `failed ${attempt.error ?? `HTTP ${attempt.httpStatus}`}`
  const retry = attempt.httpStatus !== 200 && delivery.status === 'pending' && delivery.nextAttemptAt !== null ? `, retry at ${clock(delivery.nextAttemptAt)}` : ''
  return `${clock(attempt.startedAt)}  webhook  ${delivery.eventType}  customer ${delivery.customerId ?? '-'}  ${result}  ${attempt.durationMs} ms  (delivery ${delivery.id}, attempt ${number}${retry})`
}

/** One line per refused API call: when, the call, the errorCode, and the check that refused it. */
export function refusedLine (entry: JournalEntry): string {
  const verdict = entry.auth === null ? 'auth not checked' : entry.auth.passed ? 'auth passed' : `${entry.auth.check}: ${entry.auth.reason}`
  const status = entry.status === 0 ? 'no answer' : `HTTP ${entry.status}`
  return `${clock(entry.time)}  refused  ${entry.method} ${entry.path}  ${entry.errorCode ?? '-'}  ${status}  ${verdict}${entry.faultId === null ? '' : `  (fault ${entry.faultId})`}`
}

export const isRefused = (entry: JournalEntry): boolean => entry.status !== 200
