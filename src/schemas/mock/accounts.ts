import { z } from 'zod'
import { accountId } from '../common.js'
import { mockBody } from './common.js'

// Request bodies keep accountId (a transform would drop their examples from the OpenAPI document);
// the route and the domain lowercase the account.
export const createAccountRequest = mockBody({
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
  accounts: z.array(accountCredentials.extend({ origin: z.enum(['config', 'runtime']).meta({ id: 'AccountOrigin', description: 'config: from the environment; runtime: made through POST /_mock/accounts' }) }))
})
