/**
 * Calypso's error catalog. Every error the mock answers with is one of these codes, in Calypso's
 * body `{errorCode, message, traceId}`. The code's base message is Calypso's own wording; the
 * mock appends what exactly was wrong so a merchant can fix it without guessing.
 */
export const ErrorCode = {
  INTERNAL: '000',
  BAD_REQUEST: '001',
  INVALID_API_KEY: '002',
  WRONG_SIGN: '003',
  NOT_FOUND: '004',
  INVALID_TIMESTAMP: '011'
} as const

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

export const ERROR_CATALOG: Record<ErrorCodeValue, { message: string, status: number }> = {
  '000': { message: 'Internal server error', status: 500 },
  '001': { message: 'Bad request', status: 400 },
  '002': { message: 'Invalid api key', status: 400 },
  '003': { message: 'Wrong sign', status: 400 },
  '004': { message: 'Requested object is not found', status: 400 },
  '011': { message: 'Invalid timestamp parameter', status: 400 }
}

export class ApiError extends Error {
  readonly errorCode: ErrorCodeValue
  readonly statusCode: number

  constructor (errorCode: ErrorCodeValue, detail?: string, statusCode?: number) {
    const base = ERROR_CATALOG[errorCode].message
    super(detail === undefined ? base : `${base}: ${detail}`)
    this.name = 'ApiError'
    this.errorCode = errorCode
    this.statusCode = statusCode ?? ERROR_CATALOG[errorCode].status
  }
}

export interface ErrorBody {
  errorCode: string
  message: string
  traceId: string
}

/** The mock's own detail messages; tests assert against these, never against copied strings. */
export const Reason = {
  keyMissing: 'the Key header is missing',
  keyUnknown: (key: string) => `no account has the api key ${JSON.stringify(truncate(key))}`,
  keyNotForAccount: (account: string) => `this api key does not belong to account ${account}`,
  signMissing: 'the Sign header is missing',
  signMalformed: 'the Sign header must be 128 hex characters (HMAC-SHA512 of the raw body)',
  signMismatch: 'the Sign header is not the HMAC-SHA512 of the exact request body bytes with the secret of this api key',
  timestampMissing: 'timestamp is missing; send the current unix time in milliseconds',
  timestampNotInteger: 'timestamp must be an integer number of milliseconds',
  timestampOutOfWindow: (skewMs: number, windowMs: number) =>
    `timestamp is ${Math.abs(skewMs)} ms ${skewMs < 0 ? 'behind' : 'ahead of'} the server clock; the allowed window is ±${windowMs} ms`,
  bodyMissing: 'the request body is empty; send the JSON envelope {account, timestamp, payload}',
  bodyNotJson: (detail: string) => `the request body is not valid JSON (${detail})`,
  bodyNotObject: 'the request body must be a JSON object {account, timestamp, payload}',
  bodyTooLarge: (limit: number) => `the request body is larger than the ${limit} byte (1 MiB) limit`,
  contentType: (got: string | undefined) => `Content-Type must be application/json${got === undefined ? ' (none was sent)' : `, got ${JSON.stringify(truncate(got))}`}`,
  accountInvalid: 'account must be 0x followed by 40 hex digits',
  customerNotFound: (id: string) => `no customer ${id} in this account`,
  transactionNotFound: (id: string) => `no transaction ${id} in this account`,
  deliveryNotFound: (id: number) => `no webhook delivery ${id}`,
  unknownCurrency: (currency: string, known: readonly string[]) =>
    `payload.currency: unknown currency ${JSON.stringify(truncate(currency))}; supported: ${known.join(', ')}`,
  noRoute: (method: string, url: string) => `no route ${method} ${truncate(url)}`
} as const

function truncate (value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value
}
