import { z } from 'zod'
import { PAUSE_STATES } from '../domain/deposits.js'
import { uuid } from './common.js'
import { currency } from './purse.js'
import { transaction } from './transaction.js'

const pauseState = z.enum(PAUSE_STATES)

export const depositRequest = z.object({
  customerId: uuid.optional().describe('The customer whose purse for `currency` receives the deposit (created if needed)'),
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
}).nullish()

export const mockTransaction = transaction.extend({
  account: z.string(),
  customerId: uuid,
  purseId: uuid,
  outcome: z.enum(['CONFIRMED', 'DECLINED'])
}).meta({ id: 'MockTransaction', description: 'A transaction with the mock\'s bookkeeping: its account, customer, purse and planned outcome' })

export const idParams = z.object({ id: uuid })

const deliveryStatus = z.enum(['pending', 'delivered', 'failed', 'cancelled'])

export const deliveryQuery = z.object({
  status: deliveryStatus.optional(),
  eventType: z.string().max(100).optional(),
  customerId: uuid.optional(),
  account: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100)
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
