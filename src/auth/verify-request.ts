import type { FastifyRequest } from 'fastify'
import { ACCOUNT_PATTERN } from '../config.js'
import { ApiError, ErrorCode, Reason } from '../errors.js'
import { rejectUnparsedBody } from '../plugins/json-body.js'
import type { AccountsRepository } from '../store/accounts-repository.js'
import { isWellFormedSign, signMatches } from './signature.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The account the verified api key acts for. */
    account: string
  }
}

export interface VerifyOptions {
  accounts: AccountsRepository
  timestampWindowMs: number
  now: () => number
}

const EMPTY = Buffer.alloc(0)

function header (request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * Calypso's request authentication, in the order a merchant can best act on: the key (002), the
 * signature over the raw bytes (003), the body (001), the timestamp window (011), then whether
 * the key may act for the account named in the body (002).
 */
export function createRequestVerifier ({ accounts, timestampWindowMs, now }: VerifyOptions) {
  return async function verifyRequest (request: FastifyRequest): Promise<void> {
    const key = header(request, 'key')
    if (key === undefined || key === '') throw new ApiError(ErrorCode.INVALID_API_KEY, Reason.keyMissing)
    const owner = accounts.findByApiKey(key)
    if (owner === undefined) throw new ApiError(ErrorCode.INVALID_API_KEY, Reason.keyUnknown(key))

    const sign = header(request, 'sign')
    if (sign === undefined || sign === '') throw new ApiError(ErrorCode.WRONG_SIGN, Reason.signMissing)
    if (!isWellFormedSign(sign)) throw new ApiError(ErrorCode.WRONG_SIGN, Reason.signMalformed)
    if (!signMatches(request.rawBody ?? EMPTY, owner.apiSecret, sign)) throw new ApiError(ErrorCode.WRONG_SIGN, Reason.signMismatch)

    rejectUnparsedBody(request)
    const body: unknown = request.body
    if (request.rawBody === undefined) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyMissing)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyNotObject)
    const { account, timestamp } = body as { account?: unknown, timestamp?: unknown }

    if (timestamp === undefined || timestamp === null) throw new ApiError(ErrorCode.INVALID_TIMESTAMP, Reason.timestampMissing)
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) throw new ApiError(ErrorCode.INVALID_TIMESTAMP, Reason.timestampNotInteger)
    const skew = timestamp - now()
    if (Math.abs(skew) > timestampWindowMs) throw new ApiError(ErrorCode.INVALID_TIMESTAMP, Reason.timestampOutOfWindow(skew, timestampWindowMs))

    if (typeof account !== 'string' || !ACCOUNT_PATTERN.test(account)) throw new ApiError(ErrorCode.BAD_REQUEST, `account: ${Reason.accountInvalid}`)
    if (account.toLowerCase() !== owner.account) throw new ApiError(ErrorCode.INVALID_API_KEY, Reason.keyNotForAccount(account))
    request.account = owner.account
  }
}
