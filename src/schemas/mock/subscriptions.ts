import { z } from 'zod'
import { accountInput, queryObject } from '../common.js'

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
