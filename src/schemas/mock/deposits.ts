import { z } from 'zod'
import { Reason } from '../../errors.js'
import { optionalOr, uuidInput } from '../common.js'
import { currency } from '../purse.js'
import { depositOutcome, pauseState } from './transactions.js'

export const depositRequest = z.object({
  customerId: uuidInput.optional().describe('The customer whose active address for `currency`\'s chain receives the deposit (created if needed)'),
  address: z.string().min(1).max(128).optional().describe('Or: the deposit address that receives it'),
  currency,
  amount: z.number().positive().max(1e15).describe('A positive amount in units of the currency'),
  addressFrom: z.string().min(1).max(128).optional().describe('The sender; a random address of the chain when absent'),
  transactionHash: z.string().min(1).max(128).optional().describe('A random hash when absent'),
  outcome: optionalOr(depositOutcome, 'CONFIRMED'),
  stopAt: pauseState.optional().describe('Pause the transaction in this state; move it on with /_mock/transactions/{id}/advance')
}).refine((d) => (d.customerId === undefined) !== (d.address === undefined), {
  message: Reason.customerOrAddress,
  path: ['customerId']
}).meta({
  examples: [
    { customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', currency: 'USDT_TRX', amount: 125.5 },
    { address: 'TQ8cCM5PmP5W1Vh3wSoVhEbCGc4MDzmmZy', currency: 'USDT_TRX', amount: 10, outcome: 'DECLINED' }
  ]
})
