import { z } from 'zod'
import { uuidInput } from '../common.js'

/** The paging parameters of the /_mock listings, and the id of a path. */
export const limit = z.coerce.number().int().meta({ format: 'int32' }).min(1).max(1000).default(100).describe('At most this many, 1 to 1000')
export const offset = z.coerce.number().int().meta({ format: 'int32' }).min(0).default(0)

export const idParams = z.object({ id: uuidInput })
