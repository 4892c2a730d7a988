import { z } from 'zod'
import { PAUSE_STATES } from '../domain/deposits.js'
import { ERROR_CATALOG, type ErrorCodeValue } from '../errors.js'
import { accountId, accountInput, uuid, uuidInput } from './common.js'
import { customer } from './customer.js'
import { currency, purse } from './purse.js'
import { transaction } from './transaction.js'

const pauseState = z.enum(PAUSE_STATES)

export const depositRequest = z.object({
  customerId: uuidInput.optional().describe('The customer whose purse for `currency` receives the deposit (created if needed)'),
  address: z.string().min(1).max(128).optional().describe('Or: the deposit address that receives it'),
  currency,
  amount: z.number().positive().max(1e15).describe('A positive amount in units of the currency'),
  addressFrom: z.string().min(1).max(128).optional().describe('The sender; a random address of the chain when absent'),
  transactionHash: z.string().min(1).max(128).optional().describe('A random hash when absent'),
  outcome: z.enum(['CONFIRMED', 'DECLINED']).default('CONFIRMED').describe('How the compliance check ends'),
  stopAt: pauseState.optional().describe('Pause the transaction in this state; move it on with /_mock/transactions/{id}/advance')
}).refine((d) => (d.customerId === undefined) !== (d.address === undefined), {
  message: 'give exactly one of customerId and address',
  path: ['customerId']
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
  outcome: z.enum(['CONFIRMED', 'DECLINED'])
}).meta({ id: 'MockTransaction', description: 'A transaction with the mock\'s bookkeeping: its account, customer, purse and planned outcome' })

export const idParams = z.object({ id: uuidInput })

const limit = z.coerce.number().int().min(1).max(1000).default(100).describe('At most this many, 1 to 1000')
const offset = z.coerce.number().int().min(0).default(0)

const deliveryStatus = z.enum(['pending', 'delivered', 'failed', 'cancelled'])

export const deliveryQuery = z.object({
  status: deliveryStatus.optional(),
  eventType: z.string().max(100).optional().meta({ example: 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE' }),
  customerId: uuidInput.optional(),
  account: accountInput.optional(),
  limit
})

export const delivery = z.object({
  id: z.number().int(),
  eventId: z.number().int(),
  eventType: z.string(),
  account: z.string(),
  customerId: z.string().nullable(),
  transactionId: z.string().nullable(),
  subscriptionRequestId: z.string(),
  url: z.string(),
  status: deliveryStatus,
  attempts: z.array(z.object({
    number: z.number().int(),
    startedAt: z.string(),
    durationMs: z.number().int(),
    httpStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    response: z.string().nullable()
  })),
  nextAttemptAt: z.string().nullable(),
  redeliveryOf: z.number().int().nullable(),
  createdDate: z.string(),
  completedDate: z.string().nullable(),
  body: z.string().describe('The exact bytes sent')
}).meta({ id: 'WebhookDelivery' })

export const deliveryIdParams = z.object({ id: z.coerce.number().int().positive() })


export const resetRequest = z.object({
  account: accountId.optional().describe('Reset only this account\'s data; everything when absent')
}).nullish().meta({ examples: [{}, { account: '0xca11ab1e00000000000000000000000000000001' }] })

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
  accounts: z.array(accountCredentials.extend({ origin: z.enum(['config', 'runtime']) }))
})

export const customersQuery = z.object({
  account: accountInput.optional(),
  search: z.string().trim().min(1).max(255).optional().describe('An id, or a part of the email or externalId (any case)').meta({ example: 'alice' }),
  limit,
  offset
})

export const storedCustomers = z.object({
  customers: z.array(customer.extend({ account: z.string(), createdDate: z.string(), updatedDate: z.string() }))
})

export const pursesQuery = z.object({ customerId: uuidInput })

export const storedPurses = z.object({ purses: z.array(purse.extend({ account: z.string(), network: z.string() })) })

export const subscriptionsQuery = z.object({ account: accountInput.optional() })

export const storedSubscriptions = z.object({
  subscriptions: z.array(z.object({
    account: z.string(),
    requestId: z.string(),
    url: z.string(),
    publicKey: z.string(),
    secretKey: z.string(),
    notificationEventTypes: z.array(z.string()),
    notificationServiceTypes: z.array(z.string()),
    origin: z.enum(['api', 'config']).describe('config: the WEBHOOK_URL subscription'),
    createdDate: z.string()
  }))
})

export const transactionsQuery = z.object({ account: accountInput.optional(), customerId: uuidInput.optional(), limit, offset })

export const storedTransactions = z.object({ transactions: z.array(mockTransaction) })

export const journalQuery = z.object({
  limit,
  errorCode: z.string().regex(/^\d{3}$/).optional().meta({ example: '003' }),
  path: z.string().max(200).optional().describe('Entries whose path contains this text')
})

export const journalEntry = z.object({
  id: z.number().int(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  traceId: z.string(),
  key: z.string().nullable(),
  body: z.string().nullable(),
  bodyTruncated: z.boolean(),
  auth: z.union([
    z.object({ passed: z.literal(true) }),
    z.object({ passed: z.literal(false), check: z.enum(['key', 'sign', 'body', 'timestamp', 'account']), reason: z.string() })
  ]).nullable().describe('null when authentication did not run: an unknown path, a refused content type, an injected fault'),
  faultId: z.number().int().nullable(),
  status: z.number().int().describe('0 when an injected fault broke the connection'),
  errorCode: z.string().nullable(),
  durationMs: z.number().int()
}).meta({ id: 'JournalEntry' })

export const faultRequest = z.object({
  path: z.string().min(1).max(200).describe('The API path, e.g. /api/v1/customer-purse/customer/create (the /api/v1/ prefix may be left out)'),
  errorCode: z.enum(Object.keys(ERROR_CATALOG) as [ErrorCodeValue, ...ErrorCodeValue[]]).optional().describe('Answer with this Calypso error'),
  status: z.number().int().min(400).max(599).optional().describe('With this HTTP status (the code\'s own by default)'),
  delayMs: z.number().int().min(0).max(60_000).optional().describe('Wait this long first'),
  connection: z.enum(['reset', 'empty']).optional().describe('Break the connection: reset it, or close it with no answer'),
  times: z.number().int().min(1).max(10_000).default(1).describe('For this many calls')
}).refine((f) => f.errorCode !== undefined || f.status !== undefined || f.delayMs !== undefined || f.connection !== undefined, {
  message: 'give at least one of errorCode, status, delayMs and connection',
  path: ['errorCode']
}).refine((f) => f.connection === undefined || (f.errorCode === undefined && f.status === undefined), {
  message: 'a broken connection has no answer: give connection or errorCode/status, not both',
  path: ['connection']
}).meta({
  examples: [
    { path: '/api/v1/customer-purse/customer/create', errorCode: '000', times: 2 },
    { path: 'customer-purse/address/get', delayMs: 3000 },
    { path: 'customer-purse/customer/block', connection: 'reset' }
  ]
})

export const fault = z.object({
  id: z.number().int(),
  path: z.string(),
  errorCode: z.string().optional(),
  status: z.number().int().optional(),
  delayMs: z.number().int().optional(),
  connection: z.enum(['reset', 'empty']).optional(),
  times: z.number().int(),
  remaining: z.number().int(),
  createdDate: z.string()
}).meta({ id: 'MockFault' })

export const waitQuery = z.object({
  eventType: z.string().max(100).optional().meta({ example: 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED' }),
  customerId: uuidInput.optional(),
  transactionId: uuidInput.optional(),
  account: accountInput.optional(),
  afterEventId: z.coerce.number().int().min(0).optional().describe('Only events with a larger id (to wait for the next one)'),
  timeoutMs: z.coerce.number().int().min(1).max(120_000).default(10_000).meta({ example: 5000 })
})

export const waitResponse = z.object({
  delivery,
  event: z.object({
    requestId: z.string(),
    id: z.number().int(),
    createdDate: z.string(),
    level: z.string(),
    service: z.string(),
    eventType: z.string(),
    data: z.record(z.string(), z.unknown())
  }).describe('The body that was delivered, parsed')
})
