import { z } from 'zod'
import { accountInput, queryObject, uuidInput } from '../../common.js'
import { customerPurseEventType, webhookEvent } from '../../webhook-event.js'
import { delivery } from './deliveries.js'

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
