import { z } from 'zod'
import { accountInput, queryObject } from '../common.js'
import { customer } from '../customer.js'
import { limit, offset } from './common.js'

export const customersQuery = queryObject({
  account: accountInput.optional(),
  search: z.string().trim().min(1).max(255).optional().describe('An id, or a part of the email or externalId (any case)').meta({ example: 'alice' }),
  limit,
  offset
})

export const storedCustomers = z.object({
  customers: z.array(customer.extend({ account: z.string(), createdDate: z.string(), updatedDate: z.string() }))
})
