import { z } from 'zod'
import { isoDate, uuid, uuidInput } from './common.js'

export const currency = z.string().min(1).max(32)
  .describe('Currency code, e.g. BTC, ETH, USDT, USDT_TRX, USDT_BSC, POL')
  .meta({ example: 'USDT_TRX' })

export const addressPayload = z.object({ customerId: uuidInput, currency }).meta({ id: 'GetAddressRequestDTO' })

export const purseAddress = z.object({
  id: uuid.describe('The purse id'),
  address: z.string().describe('The deposit address')
}).meta({ id: 'CustomerPurseAddress' })

export const purseStatus = z.enum(['PENDING_PAYMENT', 'ARCHIVED', 'DECLINED'])
  .meta({ id: 'PurseStatus', description: 'PENDING_PAYMENT while it takes deposits; ARCHIVED once expired; DECLINED after a declined deposit' })

export const purse = z.object({
  id: uuid,
  customerId: uuid,
  address: z.string(),
  currency: z.string(),
  status: purseStatus,
  createdDate: isoDate,
  expiryDate: isoDate.describe('When the purse expires if it receives nothing')
}).meta({ id: 'CustomerPurse' })

export const purseList = z.array(purse)
