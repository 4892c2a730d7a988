import { z } from 'zod'
import { accountId, requestObject, timestamp } from './common.js'

/** Calypso's request body: `{account, timestamp, payload}`. */
export function envelope<P extends z.ZodType> (payload: P) {
  return requestObject({ account: accountId, timestamp, payload })
}

/** The body of endpoints that take no data: `{account, timestamp}`. */
export const emptyEnvelope = requestObject({ account: accountId, timestamp })
