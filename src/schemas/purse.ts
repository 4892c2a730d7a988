import { z } from 'zod'
import { isoDate, uuid, uuidInput } from './common.js'

export const currency = z.string().min(1).max(32)
  .describe('Currency code, e.g. BTC, ETH, USDT, USDT_TRX, USDT_BSC, POL')
  .meta({ example: 'USDT_TRX' })

export const addressPayload = z.object({ customerId: uuidInput, currency })

export const purseAddress = z.object({
  id: uuid.describe('The purse id'),
  address: z.string().describe('The deposit address')
}).meta({ id: 'CustomerPurseAddress' })

export const purse = z.object({
  id: uuid,
  customerId: uuid,
  address: z.string(),
  currency: z.string(),
  status: z.enum(['PENDING_PAYMENT', 'ARCHIVED', 'DECLINED']),
  createdDate: isoDate,
  expiryDate: isoDate.describe('When the purse expires if it receives nothing')
}).meta({ id: 'CustomerPurse' })

export const purseList = z.array(purse)
