import { z } from 'zod'
import { Reason } from '../../errors.js'
import { int32, optionalOr, uuidInput } from '../common.js'
import { currency } from '../purse.js'
import { mockBody } from './common.js'
import { depositOutcome, pauseState } from './transactions.js'

export const depositRequest = mockBody({
  customerId: uuidInput.optional().describe('The customer whose active address for `currency`\'s chain receives the deposit (created if needed)'),
  address: z.string().min(1).max(128).optional().describe('Or: the deposit address that receives it'),
  currency,
  amount: z.number().positive().max(1e15).describe('A positive amount in units of the currency'),
  addressFrom: z.string().min(1).max(128).optional().describe('The sender; a random address of the chain when absent'),
  transactionHash: z.string().min(1).max(128).optional().describe('A random hash when absent'),
  outcome: optionalOr(depositOutcome, 'CONFIRMED'),
  stopAt: pauseState.optional().describe('Pause the transaction in this state; move it on with /_mock/transactions/{id}/advance'),
  stepEveryMs: int32().min(1).max(365 * 24 * 3600 * 1000).optional()
    .describe('Each later step waits this long on the account\'s clock (real time, or POST /_mock/clock/advance); all steps at once when absent'),
  skipMemPoolFound: z.boolean().optional().describe('true: send no CUSTOMER_PURSE_MEM_POOL_FOUND webhook (Calypso: it is "not guaranteed to be sent"); the transaction still starts in MEM_POOL_FOUND')
}).refine((d) => (d.customerId === undefined) !== (d.address === undefined), {
  message: Reason.customerOrAddress,
  path: ['customerId']
}).refine((d) => d.stepEveryMs === undefined || d.stopAt === undefined, {
  message: Reason.stepEveryOrStopAt,
  path: ['stepEveryMs']
}).meta({
  examples: [
    { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', currency: 'USDT_TRX', amount: 125.5 },
    { address: 'TQ8cCM5PmP5W1Vh3wSoVhEbCGc4MDzmmZy', currency: 'USDT_TRX', amount: 10, outcome: 'DECLINED' },
    { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', currency: 'BTC', amount: 0.5, stepEveryMs: 600000 },
    { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', currency: 'BTC', amount: 0.5, skipMemPoolFound: true }
  ]
})
