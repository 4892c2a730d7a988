import { z } from 'zod'
import { queryObject, uuidInput } from '../common.js'
import { purse } from '../purse.js'

export const pursesQuery = queryObject({ customerId: uuidInput })

export const storedPurses = z.object({ purses: z.array(purse.extend({ account: z.string(), network: z.string() })) })
