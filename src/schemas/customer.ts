import { z } from 'zod'
import { requestObject, requestUuid, uuid } from './common.js'

const email = z.string().max(255).nullish().describe('Customer e-mail; not checked for format, up to 255 characters')
const description = z.string().max(1000).nullish().describe('Free text, up to 1000 characters')
const externalId = z.string().max(255).nullish().describe('The merchant\'s own id for this customer, up to 255 characters')

export const customer = z.object({
  id: uuid,
  email: z.string().nullable(),
  description: z.string().nullable(),
  externalId: z.string().nullable(),
  blocked: z.boolean().describe('The blocking flag')
}).meta({ id: 'Customer', description: 'Customer data' })

export const createCustomerPayload = requestObject({ email, description, externalId }).meta({ id: 'CreateCustomerRequestDTO' })

export const updateCustomerPayload = requestObject({
  id: requestUuid.describe('The customer to update'),
  email,
  description,
  externalId
}).meta({ id: 'UpdateCustomerRequestDTO', description: 'Only the fields present (and not null) change' })

export const customerIdPayload = requestObject({ customerId: requestUuid }).meta({ id: 'ByCustomerIdRequestDTO' })
