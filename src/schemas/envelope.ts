import { z } from 'zod'
import { accountId, requestObject, timestamp } from './common.js'

function withPayload<P extends z.ZodType> (payload: P) {
  return requestObject({ account: accountId, timestamp, payload })
}

const envelopes = new WeakMap<z.ZodType, z.ZodType>()

/**
 * Calypso's request body: `{account, timestamp, payload}`. A named payload makes a named body, as
 * Calypso names them (`WithAccountContainer` + the payload's name); one body per payload, so two
 * routes that take the same payload share one component.
 */
export function envelope<P extends z.ZodType> (payload: P): ReturnType<typeof withPayload<P>> {
  const known = envelopes.get(payload)
  if (known !== undefined) return known as ReturnType<typeof withPayload<P>>
  const id = z.globalRegistry.get(payload)?.id
  const body = id === undefined ? withPayload(payload) : withPayload(payload).meta({ id: `WithAccountContainer${id}` })
  envelopes.set(payload, body)
  return body
}

/** The body of endpoints that take no data: `{account, timestamp}`. */
export const emptyEnvelope = requestObject({ account: accountId, timestamp }).meta({ id: 'EmptyWithAccountContainer' })
