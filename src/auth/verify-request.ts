import type { FastifyRequest } from 'fastify'
import { ACCOUNT_PATTERN } from '../config.js'
import { ApiError, ErrorCode, Reason, type ErrorCodeValue } from '../errors.js'
import type { AccountRow, AccountsRepository } from '../store/accounts-repository.js'
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
  /** The spelling each configured account was issued with, by its lowercase id; others are issued lowercase. */
  issuedAs?: ReadonlyMap<string, string>
}

const EMPTY = Buffer.alloc(0)

function header (request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

export type AuthCheck = 'key' | 'sign' | 'body' | 'timestamp' | 'account'

/** What authentication decided, kept on the request for the request journal. */
export type AuthVerdict = { passed: true } | { passed: false, check: AuthCheck, reason: string }

declare module 'fastify' {
  interface FastifyRequest {
    authVerdict?: AuthVerdict
  }
}

class Rejection {
  constructor (readonly check: AuthCheck, readonly error: ApiError) {}
}

function reject (check: AuthCheck, code: ErrorCodeValue, reason: string): never {
  throw new Rejection(check, new ApiError(code, reason))
}

/**
 * The largest body the mismatch hint looks into. Anyone who knows a public key can send a wrong
 * Sign, so the hint is bounded: above this, a wrong Sign costs one HMAC, as an unknown key costs none.
 */
const HINT_MAX_BYTES = 16 * 1024

/** Why a well-formed Sign does not match, when a common client mistake explains it. */
function signMismatchHint (raw: Buffer, owner: AccountRow, received: string): string | undefined {
  if (raw.length > HINT_MAX_BYTES) return undefined
  if (signMatches(raw, owner.apiKey, received)) return Reason.signHintApiKey
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'))
    if (signMatches(JSON.stringify(parsed), owner.apiSecret, received)) return Reason.signHintCompacted
    if (signMatches(JSON.stringify(parsed, null, 2), owner.apiSecret, received)) return Reason.signHintPretty
  } catch {
    // Not JSON, or nested too deeply to re-serialise: no hint.
  }
  return undefined
}

/**
 * Calypso's request authentication, in the order a merchant can best act on: the key (002), the
 * signature over the raw bytes (003), the body (001), the timestamp window (011), then whether
 * the key may act for the account named in the body (002).
 */
export function createRequestVerifier ({ accounts, timestampWindowMs, now, issuedAs = new Map() }: VerifyOptions) {
  function authenticate (request: FastifyRequest): string {
    const key = header(request, 'key')
    if (key === undefined || key === '') reject('key', ErrorCode.INVALID_API_KEY, Reason.keyMissing)
    const owner = accounts.findByApiKey(key)
    if (owner === undefined) reject('key', ErrorCode.INVALID_API_KEY, Reason.keyUnknown(key))

    const sign = header(request, 'sign')
    const raw = request.rawBody ?? EMPTY
    if (sign === undefined || sign === '') reject('sign', ErrorCode.WRONG_SIGN, Reason.signMissing)
    if (!isWellFormedSign(sign)) reject('sign', ErrorCode.WRONG_SIGN, Reason.signMalformed)
    if (sign !== sign.toLowerCase()) reject('sign', ErrorCode.WRONG_SIGN, Reason.signNotLowercase)
    if (!signMatches(raw, owner.apiSecret, sign)) {
      const hint = signMismatchHint(raw, owner, sign)
      reject('sign', ErrorCode.WRONG_SIGN, Reason.signMismatchWithHint(hint))
    }

    if (request.bodyError !== undefined) throw new Rejection('body', request.bodyError)
    const body: unknown = request.body
    if (request.rawBody === undefined) reject('body', ErrorCode.BAD_REQUEST, Reason.bodyMissing)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) reject('body', ErrorCode.BAD_REQUEST, Reason.bodyNotObject)
    const { account, timestamp } = body as { account?: unknown, timestamp?: unknown }

    if (timestamp === undefined || timestamp === null) reject('timestamp', ErrorCode.INVALID_TIMESTAMP, Reason.timestampMissing)
    if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp)) reject('timestamp', ErrorCode.INVALID_TIMESTAMP, Reason.timestampNotInteger)
    const skew = timestamp - now()
    if (Math.abs(skew) > timestampWindowMs) reject('timestamp', ErrorCode.INVALID_TIMESTAMP, Reason.timestampOutOfWindow(skew, timestampWindowMs))

    if (typeof account !== 'string' || !ACCOUNT_PATTERN.test(account)) reject('account', ErrorCode.BAD_REQUEST, `account: ${Reason.accountInvalid}`)
    const issued = issuedAs.get(owner.account) ?? owner.account
    if (account !== issued) {
      reject('account', ErrorCode.INVALID_API_KEY, account.toLowerCase() === owner.account ? Reason.accountCase(account, issued) : Reason.keyNotForAccount(account))
    }
    return owner.account
  }

  return async function verifyRequest (request: FastifyRequest): Promise<void> {
    try {
      request.account = authenticate(request)
      request.authVerdict = { passed: true }
    } catch (err) {
      if (!(err instanceof Rejection)) throw err
      request.authVerdict = { passed: false, check: err.check, reason: err.error.message }
      throw err.error
    }
  }
}
