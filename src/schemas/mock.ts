import { z } from 'zod'
import { PAUSE_STATES, type WebhookFaultKind } from '../domain/model.js'
import { Reason } from '../errors.js'
import { accountId, accountInput, errorCode, queryObject, int32, int64, optionalOr, requestObject, uuid, uuidInput } from './common.js'
import { customer } from './customer.js'
import { currency, purse } from './purse.js'
import { transaction } from './transaction.js'
import { customerPurseEventType, deliveryStatus, webhookDelivery, webhookEvent, webhookFaultKind } from './webhook-event.js'

const pauseState = z.enum(PAUSE_STATES).meta({ id: 'PauseState', description: 'A state a fake deposit can pause in' })
const depositOutcome = z.enum(['CONFIRMED', 'DECLINED']).meta({ id: 'DepositOutcome', description: 'How the compliance check of a fake deposit ends (CONFIRMED when a deposit does not say)' })
const faultConnection = z.enum(['reset', 'empty']).meta({ id: 'FaultConnection', description: 'reset: the connection is reset; empty: it is closed with no answer' })

export const depositRequest = z.object({
  customerId: uuidInput.optional().describe('The customer whose active address for `currency`\'s chain receives the deposit (created if needed)'),
  address: z.string().min(1).max(128).optional().describe('Or: the deposit address that receives it'),
  currency,
  amount: z.number().positive().max(1e15).describe('A positive amount in units of the currency'),
  addressFrom: z.string().min(1).max(128).optional().describe('The sender; a random address of the chain when absent'),
  transactionHash: z.string().min(1).max(128).optional().describe('A random hash when absent'),
  outcome: optionalOr(depositOutcome, 'CONFIRMED'),
  stopAt: pauseState.optional().describe('Pause the transaction in this state; move it on with /_mock/transactions/{id}/advance'),
  stepEveryMs: int32().min(1).max(365 * 24 * 3600 * 1000).optional()
    .describe('Each later step waits this long on the account\'s clock (real time, or POST /_mock/clock/advance); all steps at once when absent')
}).refine((d) => (d.customerId === undefined) !== (d.address === undefined), {
  message: Reason.customerOrAddress,
  path: ['customerId']
}).refine((d) => d.stepEveryMs === undefined || d.stopAt === undefined, {
  message: Reason.stepEveryOrStopAt,
  path: ['stepEveryMs']
}).meta({
  examples: [
    { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', currency: 'USDT_TRX', amount: 125.5 },
    { address: 'TQ8cCM5PmP5W1Vh3wSoVhEbCGc4MDzmmZy', currency: 'USDT_TRX', amount: 10, outcome: 'DECLINED' }
  ]
})

export const advanceRequest = z.object({
  stopAt: pauseState.optional().describe('Pause again in this later state; run to the end when absent')
}).nullish().meta({ examples: [{}, { stopAt: 'CONFIRMED' }] })

export const mockTransaction = transaction.extend({
  account: z.string(),
  customerId: uuid,
  purseId: uuid,
  outcome: depositOutcome
}).meta({ id: 'MockTransaction', description: 'A transaction with the mock\'s bookkeeping: its account, customer, purse and planned outcome' })

export const idParams = z.object({ id: uuidInput })

const limit = z.coerce.number().int().meta({ format: 'int32' }).min(1).max(1000).default(100).describe('At most this many, 1 to 1000')
const offset = z.coerce.number().int().meta({ format: 'int32' }).min(0).default(0)

export const deliveryQuery = queryObject({
  status: deliveryStatus.optional(),
  eventType: customerPurseEventType.optional().meta({ example: 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' }),
  customerId: uuidInput.optional(),
  account: accountInput.optional(),
  limit
})

/** The deliveries answer of the /_mock routes; defined once, in webhook-event.ts. */
export const delivery = webhookDelivery

export const deliveryIdParams = z.object({ id: z.coerce.number().int().meta({ format: 'int64' }).positive() })

// Strict: a misspelt field or a body of another type must not fall through to a full reset.
export const resetRequest = z.strictObject({
  account: accountId.optional().describe('Reset only this account\'s data; everything when absent')
}, {
  error: (issue) => issue.code === 'unrecognized_keys' ? `${Reason.unknownFields(issue.keys)}; ${Reason.resetBody}` : Reason.resetBody
}).meta({ examples: [{}, { account: '0xca11ab1e00000000000000000000000000000001' }] })

// Request bodies keep accountId (a transform would drop their examples from the OpenAPI document);
// the route and the domain lowercase the account.
export const createAccountRequest = z.object({
  account: accountId.optional(),
  apiKey: z.string().min(8).max(256).optional(),
  apiSecret: z.string().min(8).max(256).optional()
}).nullish().meta({ examples: [{}, { account: '0x00000000000000000000000000000000000000b2', apiKey: 'suite-b-key', apiSecret: 'suite-b-secret' }] })

export const accountCredentials = z.object({
  account: z.string(),
  apiKey: z.string(),
  apiSecret: z.string()
}).meta({ id: 'MockAccount' })

export const accountList = z.object({
  accounts: z.array(accountCredentials.extend({ origin: z.enum(['config', 'runtime']).meta({ id: 'AccountOrigin', description: 'config: from the environment; runtime: made through POST /_mock/accounts' }) }))
})

export const customersQuery = queryObject({
  account: accountInput.optional(),
  search: z.string().trim().min(1).max(255).optional().describe('An id, or a part of the email or externalId (any case)').meta({ example: 'alice' }),
  limit,
  offset
})

export const storedCustomers = z.object({
  customers: z.array(customer.extend({ account: z.string(), createdDate: z.string(), updatedDate: z.string() }))
})

export const pursesQuery = queryObject({ customerId: uuidInput })

export const storedPurses = z.object({ purses: z.array(purse.extend({ account: z.string(), network: z.string() })) })

export const subscriptionsQuery = queryObject({ account: accountInput.optional() })

export const storedSubscriptions = z.object({
  subscriptions: z.array(z.object({
    account: z.string(),
    requestId: z.string(),
    url: z.string(),
    publicKey: z.string(),
    secretKey: z.string(),
    notificationEventTypes: z.array(z.string()),
    notificationServiceTypes: z.array(z.string()),
    origin: z.enum(['api', 'config']).meta({ id: 'SubscriptionOrigin', description: 'api: made through subscription/webhook/create; config: the WEBHOOK_URL subscription' }),
    createdDate: z.string()
  }))
})

export const transactionsQuery = queryObject({ account: accountInput.optional(), customerId: uuidInput.optional(), limit, offset })

export const storedTransactions = z.object({ transactions: z.array(mockTransaction) })

export const journalQuery = queryObject({
  limit,
  errorCode: z.string().regex(/^\d{3}$/).optional().meta({ example: '003' }),
  path: z.string().max(200).optional().describe('Entries whose path contains this text')
})

export const journalEntry = z.object({
  id: int64(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  traceId: z.string(),
  key: z.string().nullable(),
  body: z.string().nullable(),
  bodyTruncated: z.boolean(),
  auth: z.union([
    z.object({ passed: z.literal(true) }),
    z.object({ passed: z.literal(false), check: z.enum(['key', 'sign', 'body', 'timestamp', 'account']).meta({ id: 'AuthCheck', description: 'The check that failed' }), reason: z.string() })
  ]).nullable().describe('null when authentication did not run: an unknown path, a refused content type, an injected fault')
    .meta({ type: 'object' }),
  faultId: int64().nullable(),
  status: int32().describe('0 when an injected fault broke the connection'),
  errorCode: z.string().nullable(),
  durationMs: int32()
}).meta({ id: 'JournalEntry' })

/** The largest stubbed body a fault keeps. */
const STUB_BODY_LIMIT = 64 * 1024

export const faultRequest = z.object({
  path: z.string().min(1).max(200).describe('The API path, e.g. /api/v1/customer-purse/customer/create (the /api/v1/ prefix may be left out)'),
  account: accountId.optional().describe('Only calls signed with this account\'s Key; every call to the path when absent'),
  errorCode: errorCode.optional(),
  status: int32().min(200).max(599).optional().describe('With this HTTP status: the error code\'s own by default, 200 by default with a body'),
  body: z.unknown().optional().describe('Answer exactly this JSON instead of Calypso\'s error body: a response shape Calypso might send'),
  delayMs: int32().min(0).max(60_000).optional().describe('Wait this long first'),
  connection: faultConnection.optional(),
  times: optionalOr(int32().min(1).max(10_000), 1).describe('For this many calls; 1 when absent')
}).refine((f) => f.errorCode !== undefined || f.status !== undefined || f.body !== undefined || f.delayMs !== undefined || f.connection !== undefined, {
  message: Reason.faultNeedsEffect,
  path: ['errorCode']
}).refine((f) => f.connection === undefined || (f.errorCode === undefined && f.status === undefined && f.body === undefined), {
  message: Reason.faultConnectionAlone,
  path: ['connection']
}).refine((f) => f.body === undefined || f.errorCode === undefined, {
  message: Reason.stubBodyOrErrorCode,
  path: ['body']
}).refine((f) => f.body !== undefined || f.status === undefined || f.status >= 400, {
  message: Reason.stubStatusNeedsBody,
  path: ['status']
}).refine((f) => f.body === undefined || JSON.stringify(f.body).length <= STUB_BODY_LIMIT, {
  message: Reason.stubBodyTooLarge(STUB_BODY_LIMIT),
  path: ['body']
}).meta({
  examples: [
    { path: '/api/v1/customer-purse/customer/create', errorCode: '000', times: 2 },
    { path: 'customer-purse/address/get', delayMs: 3000 },
    { path: 'customer-purse/customer/block', connection: 'reset' },
    { path: 'customer-purse/transaction/get', status: 200, body: { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', transactionState: 'SOMETHING_NEW' } }
  ]
})

export const fault = z.object({
  id: int64(),
  path: z.string(),
  account: z.string().optional(),
  errorCode: z.string().optional(),
  status: int32().optional(),
  body: z.unknown().optional(),
  delayMs: int32().optional(),
  connection: faultConnection.optional(),
  times: int32(),
  remaining: int32(),
  createdDate: z.string()
}).meta({ id: 'MockFault' })

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

export const webhookFaultRequest = requestObject({
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

export const clockQuery = queryObject({ account: accountInput.optional().describe('The account whose clock; the first configured account when absent') })

export const clockState = z.object({
  account: z.string(),
  now: z.string().describe('The account\'s time, ISO-8601'),
  offsetMs: int64().describe('How far the account\'s clock runs ahead of the machine\'s')
}).meta({ id: 'MockClock', description: 'An account\'s test clock' })

// The largest advance: 10 years.
export const MAX_ADVANCE_MS = 10 * 365 * 24 * 3600 * 1000

export const clockAdvanceRequest = requestObject({
  ms: int64().min(1).max(MAX_ADVANCE_MS).describe('How far to move the clock on, in milliseconds (at most 10 years)'),
  account: accountId.optional().describe('The account whose clock; the first configured account when absent')
}).meta({ examples: [{ ms: 30000 }, { ms: 328350000, account: '0xca11ab1e00000000000000000000000000000001' }] })

export const clockResetRequest = requestObject({
  account: accountId.optional().describe('The account whose clock; the first configured account when absent')
}).nullish().meta({ examples: [{}] })

export const clockAdvanceReport = clockState.extend({
  advancedMs: int64(),
  fired: z.object({
    depositSteps: int32().describe('Steps of deposits that wait on time'),
    pursesExpired: int32(),
    deliveriesSent: int32().describe('Webhook delivery attempts made, retries included')
  }).describe('What fell due on the way, each at its own time')
}).meta({ id: 'MockClockAdvance' })

export const waitQuery = queryObject({
  eventType: customerPurseEventType.optional().meta({ example: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED' }),
  customerId: uuidInput.optional(),
  transactionId: uuidInput.optional(),
  account: accountInput.optional(),
  afterEventId: z.coerce.number().int().meta({ format: 'int64' }).min(0).optional().describe('Only events with a larger id (to wait for the next one)'),
  consumer: z.string().min(1).max(100).default('default')
    .describe('Who is waiting: each event is handed to a consumer once, so its next wait gets the next matching event. Waits under different names see the same events')
    .meta({ example: 'suite-a' }),
  timeoutMs: z.coerce.number().int().meta({ format: 'int32' }).min(1).max(120_000).default(10_000).meta({ example: 5000 })
})

export const waitResponse = z.object({
  delivery,
  event: webhookEvent
}).meta({ id: 'WebhookWaitResult', description: 'A delivery and the event it carried, parsed' })
