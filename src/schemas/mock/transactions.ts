import { z } from 'zod'
import { PAUSE_STATES } from '../../domain/model.js'
import { accountInput, queryObject, uuid, uuidInput } from '../common.js'
import { transaction } from '../transaction.js'
import { limit, mockBody, offset } from './common.js'

export const pauseState = z.enum(PAUSE_STATES).meta({ id: 'PauseState', description: 'A state a fake deposit can pause in' })
export const depositOutcome = z.enum(['CONFIRMED', 'DECLINED']).meta({ id: 'DepositOutcome', description: 'How the compliance check of a fake deposit ends (CONFIRMED when a deposit does not say)' })

export const advanceRequest = mockBody({
  stopAt: pauseState.optional().describe('Pause again in this later state; run to the end when absent')
}).nullish().meta({ examples: [{}, { stopAt: 'CONFIRMED' }] })

export const mockTransaction = transaction.extend({
  account: z.string(),
  customerId: uuid,
  purseId: uuid,
  outcome: depositOutcome
}).meta({ id: 'MockTransaction', description: 'A transaction with the mock\'s bookkeeping: its account, customer, purse and planned outcome' })

export const transactionsQuery = queryObject({ account: accountInput.optional(), customerId: uuidInput.optional(), limit, offset })

export const storedTransactions = z.object({ transactions: z.array(mockTransaction) })
