import { z } from 'zod'
import { accountId, int32, int64, optionalOr } from '../../common.js'

export const webhookFaultRequest = z.object({
  account: accountId.optional().describe('Only deliveries of this account\'s events; every delivery when absent'),
  status: optionalOr(int32().min(300).max(599), 500).describe('The HTTP status the failed attempts are recorded with; 500 when absent'),
  times: optionalOr(int32().min(1).max(10_000), 1).describe('How many attempts fail; 1 when absent')
}).nullish().meta({ examples: [{ times: 3 }, { account: '0xca11ab1e00000000000000000000000000000001', status: 503, times: 2 }] })

export const webhookFault = z.object({
  id: int64(),
  account: z.string().optional(),
  status: int32(),
  times: int32(),
  remaining: int32(),
  createdDate: z.string()
}).meta({ id: 'MockWebhookFault' })
