import { z } from 'zod'
import { Reason } from '../../errors.js'
import { accountId, errorCode, int32, int64, optionalOr } from '../common.js'
import { mockBody } from './common.js'

const faultConnection = z.enum(['reset', 'empty']).meta({ id: 'FaultConnection', description: 'reset: the connection is reset; empty: it is closed with no answer' })

/** The largest stubbed body a fault keeps. */
const STUB_BODY_LIMIT = 64 * 1024

export const faultRequest = mockBody({
  path: z.string().min(1).max(200).describe('The API path, e.g. /api/v1/customer-purse/customer/create (the /api/v1/ prefix may be left out)'),
  account: accountId.optional().describe('Only calls signed with this account\'s Key; every call to the path when absent'),
  errorCode: errorCode.optional(),
  status: int32().min(200).max(599).optional().describe('With this HTTP status: the error code\'s own by default, 200 by default with a body'),
  body: z.unknown().optional().describe('Answer exactly this JSON instead of Calypso\'s error body: a response shape Calypso might send'),
  delayMs: int32().min(0).max(60_000).optional().describe('Wait this long first'),
  connection: faultConnection.optional(),
  times: optionalOr(int32().min(1).max(10_000), 1).describe('For this many calls; 1 when absent')
}).refine((f) => f.errorCode !== undefined || f.status !== undefined || f.body !== undefined || f.delayMs !== undefined || f.connection !== undefined, {
  message: Reason.faultNeedsEffect,
  path: ['errorCode']
}).refine((f) => f.connection === undefined || (f.errorCode === undefined && f.status === undefined && f.body === undefined), {
  message: Reason.faultConnectionAlone,
  path: ['connection']
}).refine((f) => f.body === undefined || f.errorCode === undefined, {
  message: Reason.stubBodyOrErrorCode,
  path: ['body']
}).refine((f) => f.body !== undefined || f.status === undefined || f.status >= 400, {
  message: Reason.stubStatusNeedsBody,
  path: ['status']
}).refine((f) => f.body === undefined || JSON.stringify(f.body).length <= STUB_BODY_LIMIT, {
  message: Reason.stubBodyTooLarge(STUB_BODY_LIMIT),
  path: ['body']
}).meta({
  examples: [
    { path: '/api/v1/customer-purse/customer/create', errorCode: '000', times: 2 },
    { path: 'customer-purse/address/get', delayMs: 3000 },
    { path: 'customer-purse/customer/block', connection: 'reset' },
    { path: 'customer-purse/transaction/get', status: 200, body: { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', transactionState: 'SOMETHING_NEW' } }
  ]
})

export const fault = z.object({
  id: int64(),
  path: z.string(),
  account: z.string().optional(),
  errorCode: z.string().optional(),
  status: int32().optional(),
  body: z.unknown().optional(),
  delayMs: int32().optional(),
  connection: faultConnection.optional(),
  times: int32(),
  remaining: int32(),
  createdDate: z.string()
}).meta({ id: 'MockFault' })
