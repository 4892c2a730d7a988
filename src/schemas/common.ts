import { z } from 'zod'
import { ACCOUNT_PATTERN } from '../config.js'
import { ErrorCode, Reason, type ErrorCodeValue } from '../errors.js'

/**
 * Whole numbers typed as Java types them, so a generated client picks long or int: a millisecond
 * timestamp overflows an int, which is what generators choose for an integer without a format.
 */
export const int64 = () => z.number().int().meta({ format: 'int64' })
export const int32 = () => z.int32().meta({ format: 'int32' })

export const uuid = z.guid().meta({ format: 'uuid', example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' })

/** An id in a mock-only request: any case is accepted, as a Java UUID would parse it, and kept lowercase. */
export const uuidInput = uuid.transform((value) => value.toLowerCase())

/** An id in a Calypso request: lowercase, as Calypso writes its ids (the docs say only `uuid`; the stricter reading). */
export const requestUuid = uuid.refine((value) => value === value.toLowerCase(), { error: Reason.uuidNotLowercase })
  .meta({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' })

/** An object in a Calypso request: a field the docs do not list is refused, where Calypso may ignore it. */
export function requestObject<S extends z.core.$ZodLooseShape> (shape: S) {
  return z.strictObject(shape, {
    error: (issue) => issue.code === 'unrecognized_keys' ? Reason.unknownFields(issue.keys) : undefined
  })
}

/** The query of a /_mock listing: a parameter it does not know is refused, never silently ignored. */
export function queryObject<S extends z.core.$ZodLooseShape> (shape: S) {
  return z.strictObject(shape, {
    error: (issue) => issue.code === 'unrecognized_keys' ? Reason.unknownQueryParameters(issue.keys) : undefined
  })
}

export const accountId = z.string().regex(ACCOUNT_PATTERN, 'must be 0x followed by 40 hex digits')
  .describe('Merchant account ID; the request acts for this account')
  .meta({ example: '0xca11ab1e00000000000000000000000000000001' })

/** An account in a mock-only filter or request: any case is accepted and kept lowercase, as stored. */
export const accountInput = accountId.transform((value) => value.toLowerCase())

export const timestamp = int64()
  .describe('Current unix time in milliseconds; must be within the timestamp window (±3 minutes by default) of the server clock')
  .meta({ example: 1764057600000 })

/**
 * An optional request field that takes `fallback` when absent. Not zod's .default(): that writes
 * `default` into the document, and openapi-typescript then makes the field one a client must send.
 */
export function optionalOr<T extends z.ZodType> (schema: T, fallback: z.output<T>) {
  return schema.optional().transform((value) => value ?? fallback)
}

export const isoDate = z.string().meta({ format: 'date-time', example: '2026-11-25T10:53:50.356Z' })

const errorCodes = Object.values(ErrorCode) as [ErrorCodeValue, ...ErrorCodeValue[]]

/** The catalog's codes, named for generators that cannot make an identifier of "001". */
export const errorCode = z.enum(errorCodes).meta({
  id: 'ErrorCode',
  description: 'Zero-padded error code: 000 internal, 001 bad request, 002 invalid api key, 003 wrong sign, 004 not found, 011 invalid timestamp',
  example: '001',
  'x-enum-varnames': Object.keys(ErrorCode)
})

export const errorBody = z.object({
  errorCode,
  message: z.string().meta({ example: 'Bad request: payload.customerId: Invalid UUID' }),
  traceId: z.string().describe('Identifies the request in the mock\'s logs').meta({ example: '0c4f3a5e-49a4-4a29-9a35-1d6a3b8a2e3f' })
}).meta({ id: 'PublicGatewayErrorResponse', description: 'Calypso\'s error body' })

/** Every error status a route can answer, with Calypso's error body. */
export const errorResponses = {
  400: errorBody.describe('A client error: malformed body, failed validation, bad api key or sign, stale timestamp, unknown object'),
  500: errorBody.describe('An internal error (000)'),
  default: errorBody.describe('Any other error, in the same body: 404 (004) for an unknown path, 405 (001) for a known path called with another method, or a status injected through /_mock/faults')
} as const

/** How the /_mock routes are called: with MOCK_ADMIN_TOKEN as a bearer token when it is set, with nothing otherwise. */
export const mockSecurity: Array<Record<string, string[]>> = [{ MockAdminToken: [] }, {}]

/** The /_mock routes answer 401 too, when MOCK_ADMIN_TOKEN is set and not sent. */
export const mockErrorResponses = {
  ...errorResponses,
  401: errorBody.describe('MOCK_ADMIN_TOKEN is set and the request lacks Authorization: Bearer <token>')
} as const
