import { z } from 'zod'
import { accountId, accountInput, int32, int64, queryObject, requestObject } from '../common.js'

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
