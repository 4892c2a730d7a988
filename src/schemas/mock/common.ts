import { z } from 'zod'
import { Reason } from '../../errors.js'
import { uuidInput } from '../common.js'

/** A /_mock request body: a field it does not take (a misspelling) is refused, named beside the fields it takes. */
export function mockBody<S extends z.ZodRawShape> (shape: S) {
  const known = Object.keys(shape)
  return z.strictObject(shape, { error: (issue) => issue.code === 'unrecognized_keys' ? Reason.unknownMockFields(issue.keys, known) : undefined })
}

/** The body of a POST that needs nothing said: `{}`. */
export const emptyBody = mockBody({}).meta({ examples: [{}] })

/** The paging parameters of the /_mock listings, and the id of a path. */
export const limit = z.coerce.number().int().meta({ format: 'int32' }).min(1).max(1000).default(100).describe('At most this many, 1 to 1000')
export const offset = z.coerce.number().int().meta({ format: 'int32' }).min(0).default(0)

export const idParams = z.object({ id: uuidInput })
