import { z } from 'zod'
import { accountInput, queryObject, uuidInput } from '../../common.js'
import { customerPurseEventType, deliveryStatus, webhookDelivery } from '../../webhook-event.js'
import { limit } from '../common.js'

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
