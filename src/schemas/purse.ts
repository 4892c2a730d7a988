import { z } from 'zod'
import { isoDate, requestObject, requestUuid, uuid } from './common.js'

export const currency = z.string().min(1).max(32)
  .describe('Currency code, e.g. BTC, ETH, USDT, USDT_TRX, USDT_BSC, POL')
  .meta({ example: 'USDT_TRX' })

export const addressPayload = requestObject({ customerId: requestUuid, currency }).meta({ id: 'GetAddressRequestDTO' })

export const purseAddress = z.object({
  id: uuid.describe('The purse id'),
  address: z.string().describe('The deposit address')
}).meta({ id: 'CustomerPurseAddress' })

export const purseStatus = z.enum(['PENDING_PAYMENT', 'ARCHIVED', 'DECLINED'])
  .meta({ id: 'PurseStatus', description: 'PENDING_PAYMENT while it takes deposits; ARCHIVED once expired; DECLINED after a declined deposit' })

export const purse = z.object({
  id: uuid.describe('The purse id, which is the address id'),
  customerId: uuid,
  address: z.string(),
  currencies: z.array(z.string()).describe('The currencies asked for on this address with address/get or received on it, in first-use order; every currency of its chain family gets this address')
    .meta({ example: ['USDT_TRX', 'TRX'] }),
  status: purseStatus,
  createdDate: isoDate,
  expiryDate: isoDate.describe('When the address expires: 30 days after it was created if it receives nothing, else 365 days after its last confirmed deposit')
}).meta({ id: 'CustomerPurse', description: 'One deposit address of a customer' })

export const purseList = z.array(purse)
