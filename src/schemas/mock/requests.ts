import { z } from 'zod'
import { int32, int64, queryObject } from '../common.js'
import { limit } from './common.js'

export const journalQuery = queryObject({
  limit,
  errorCode: z.string().regex(/^\d{3}$/).optional().meta({ example: '003' }),
  path: z.string().max(200).optional().describe('Entries whose path contains this text')
})

export const journalEntry = z.object({
  id: int64(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  traceId: z.string(),
  key: z.string().nullable(),
  body: z.string().nullable(),
  bodyTruncated: z.boolean(),
  auth: z.union([
    z.object({ passed: z.literal(true) }),
    z.object({ passed: z.literal(false), check: z.enum(['key', 'sign', 'body', 'timestamp', 'account']).meta({ id: 'AuthCheck', description: 'The check that failed' }), reason: z.string() })
  ]).nullable().describe('null when authentication did not run: an unknown path, a refused content type, an injected fault')
    .meta({ type: 'object' }),
  faultId: int64().nullable(),
  status: int32().describe('0 when an injected fault broke the connection'),
  errorCode: z.string().nullable(),
  durationMs: int32()
}).meta({ id: 'JournalEntry' })
