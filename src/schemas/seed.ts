import { z } from 'zod'
import { CURRENCIES, PAUSE_STATES } from '../domain/model.js'
import { Reason } from '../errors.js'
import { accountId, uuid } from './common.js'

// Every object is strict: a misspelt key in a seed file is an error, not a field silently left out.

const currency = z.string().refine((value) => Object.hasOwn(CURRENCIES, value), { message: Reason.seedUnknownCurrency })

const seedAccount = z.object({
  account: accountId,
  apiKey: z.string().min(8).max(256),
  apiSecret: z.string().min(8).max(256)
}).strict()

const seedDeposit = z.object({
  currency,
  amount: z.number().positive().max(1e15),
  outcome: z.enum(['CONFIRMED', 'DECLINED']).default('CONFIRMED'),
  stopAt: z.enum(PAUSE_STATES).optional(),
  addressFrom: z.string().min(1).max(128).optional(),
  transactionHash: z.string().min(1).max(128).optional()
}).strict()

const seedCustomer = z.object({
  id: uuid.transform((value) => value.toLowerCase()).optional(),
  account: accountId.transform((value) => value.toLowerCase()).optional(),
  email: z.string().max(255).optional(),
  externalId: z.string().max(255).optional(),
  description: z.string().max(1000).optional(),
  blocked: z.boolean().default(false),
  purses: z.array(currency).default([]),
  deposits: z.array(seedDeposit).default([])
}).strict()

/** A SEED_FILE: accounts with their keys, then customers of those or of the configured accounts. */
export const seedData = z.object({
  accounts: z.array(seedAccount).default([]),
  customers: z.array(seedCustomer).default([])
}).strict()

export type SeedData = z.output<typeof seedData>
export type SeedCustomer = SeedData['customers'][number]
