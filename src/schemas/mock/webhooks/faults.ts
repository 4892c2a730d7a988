import { z } from 'zod'
import type { WebhookFaultKind } from '../../../domain/model.js'
import { Reason } from '../../../errors.js'
import { accountId, accountInput, int32, int64, optionalOr, queryObject } from '../../common.js'
import { mockBody } from '../common.js'
import { customerPurseEventType, webhookFaultKind } from '../../webhook-event.js'

/** The fields each kind of webhook fault takes beside account, eventType, times and untilCleared. */
const WEBHOOK_FAULT_FIELDS: Record<WebhookFaultKind, ReadonlyArray<'status' | 'delayMs' | 'count'>> = {
  fail: ['status'],
  duplicate: ['delayMs'],
  reorder: ['count'],
  delay: ['delayMs'],
  'bad-signature': [],
  stale: ['delayMs']
}

/** A delay fault holds a lane of deliveries in real time: no longer than an API fault's delay. */
export const MAX_SEND_DELAY_MS = 60_000

export const webhookFaultRequest = mockBody({
  kind: optionalOr(webhookFaultKind, 'fail').describe('What the fault does (fail when absent); see docs/delivery-chaos.md'),
  account: accountId.optional().describe('Only deliveries of this account\'s events; every delivery when absent'),
  eventType: customerPurseEventType.optional().describe('Only events of this type; every event when absent'),
  status: int32().min(300).max(599).optional().describe('fail: the HTTP status the failed attempts are recorded with; 500 when absent'),
  delayMs: int32().min(0).max(24 * 3600 * 1000).optional()
    .describe(`delay: the wait before each send (required, at most ${MAX_SEND_DELAY_MS} ms, real time); duplicate, stale: how long after the first send the copy is due, on the account's clock (0 when absent)`),
  count: int32().min(2).max(100).optional().describe('reorder: how many events are held, then sent in reverse (required)'),
  times: int32().min(1).max(10_000).optional().describe('How many attempts (fail, delay, bad-signature), events (duplicate, stale) or batches (reorder); 1 when absent'),
  untilCleared: z.literal(true).optional().describe('Instead of times: until DELETE /_mock/webhooks/faults')
}).superRefine((f, ctx) => {
  const allowed = WEBHOOK_FAULT_FIELDS[f.kind]
  for (const field of ['status', 'delayMs', 'count'] as const) {
    if (f[field] !== undefined && !allowed.includes(field)) ctx.addIssue({ code: 'custom', path: [field], message: Reason.faultFieldNotOfKind(field, f.kind) })
  }
  if (f.kind === 'delay' && f.delayMs === undefined) ctx.addIssue({ code: 'custom', path: ['delayMs'], message: Reason.faultFieldNeeded('delayMs', f.kind) })
  if (f.kind === 'delay' && (f.delayMs ?? 0) > MAX_SEND_DELAY_MS) ctx.addIssue({ code: 'custom', path: ['delayMs'], message: Reason.sendDelayTooLong(MAX_SEND_DELAY_MS) })
  if (f.kind === 'reorder' && f.count === undefined) ctx.addIssue({ code: 'custom', path: ['count'], message: Reason.faultFieldNeeded('count', f.kind) })
  if (f.times !== undefined && f.untilCleared !== undefined) ctx.addIssue({ code: 'custom', path: ['untilCleared'], message: Reason.timesOrUntilCleared })
}).nullish().meta({
  examples: [
    { times: 3 },
    { account: '0xca11ab1e00000000000000000000000000000001', status: 503, times: 2 },
    { kind: 'duplicate', delayMs: 5000 },
    { kind: 'reorder', count: 3 },
    { kind: 'delay', delayMs: 2000, untilCleared: true },
    { kind: 'bad-signature' },
    { kind: 'stale', eventType: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED', delayMs: 60000 }
  ]
})

export const webhookFault = z.object({
  id: int64(),
  kind: webhookFaultKind,
  account: z.string().optional(),
  eventType: z.string().optional(),
  status: int32().optional(),
  delayMs: int32().optional(),
  count: int32().optional(),
  times: int32().nullable().describe('null until cleared'),
  remaining: int32().nullable().describe('null until cleared'),
  untilCleared: z.boolean(),
  createdDate: z.string()
}).meta({ id: 'MockWebhookFault' })

export const webhookFaultsClearQuery = queryObject({ account: accountInput.optional().describe('Only the faults of this account; every fault when absent') })
