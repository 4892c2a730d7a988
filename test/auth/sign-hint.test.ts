import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import { ApiError, ErrorCode, Reason } from '../../src/errors.js'
import { assertError, build, envelopeBody, signedPost } from '../support/helper.js'

const CREATE = 'customer-purse/customer/create'
const WRONG_SIGN = 'ab'.repeat(64)

t.test('a deeply nested body with a wrong Sign is refused with 003, not a 500', async (t) => {
  const app = await build(t)
  const depth = 4200
  const body = envelopeBody(app.config.accounts[0]!.account, app.clock(), 'NESTED').replace('"NESTED"', '['.repeat(depth) + ']'.repeat(depth))
  assertError(t, await signedPost(app, CREATE, undefined, { rawBody: body, headers: { sign: WRONG_SIGN } }), ErrorCode.WRONG_SIGN, Reason.signMismatch)
  const deeper = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000)
  assertError(t, await signedPost(app, CREATE, undefined, { rawBody: deeper, headers: { sign: WRONG_SIGN } }), ErrorCode.WRONG_SIGN, Reason.signMismatch)
})

t.test('the mismatch hints still name the common mistakes on an ordinary body', async (t) => {
  const app = await build(t)
  const creds = app.config.accounts[0]!
  const pretty = envelopeBody(creds.account, app.clock(), { email: 'a@example.com' }, true)
  const compact = JSON.stringify(JSON.parse(pretty))
  const res = await signedPost(app, CREATE, undefined, { rawBody: pretty, headers: { sign: sign(compact, creds.apiSecret) } })
  assertError(t, res, ErrorCode.WRONG_SIGN, Reason.signMismatchWithHint(Reason.signHintCompacted))
  const withKey = await signedPost(app, CREATE, undefined, { rawBody: compact, headers: { sign: sign(compact, creds.apiKey) } })
  assertError(t, withKey, ErrorCode.WRONG_SIGN, Reason.signMismatchWithHint(Reason.signHintApiKey))
})

t.test('a body signed pretty-printed but sent compact gets the pretty-print hint', async (t) => {
  const app = await build(t)
  const creds = app.config.accounts[0]!
  const compact = envelopeBody(creds.account, app.clock(), { email: 'a@example.com' })
  const pretty = JSON.stringify(JSON.parse(compact), null, 2)
  const res = await signedPost(app, CREATE, undefined, { rawBody: compact, headers: { sign: sign(pretty, creds.apiSecret) } })
  t.equal(res.json().message, new ApiError(ErrorCode.WRONG_SIGN, Reason.signMismatchWithHint(Reason.signHintPretty)).message)
})

t.test('the hints look into bodies of up to 16 KiB, and not one byte more', async (t) => {
  const app = await build(t)
  const creds = app.config.accounts[0]!
  /** A pretty-printed envelope of exactly `bytes` bytes, and the Sign of its compact form. */
  const sized = (bytes: number) => {
    const bare = envelopeBody(creds.account, app.clock(), { description: '' }, true)
    const body = envelopeBody(creds.account, app.clock(), { description: 'x'.repeat(bytes - Buffer.byteLength(bare)) }, true)
    t.equal(Buffer.byteLength(body), bytes)
    return { body, sign: sign(JSON.stringify(JSON.parse(body)), creds.apiSecret) }
  }
  for (const [bytes, expected] of [[16 * 1024, Reason.signMismatchWithHint(Reason.signHintCompacted)], [16 * 1024 + 1, Reason.signMismatch]] as const) {
    const { body, sign: wrong } = sized(bytes)
    const res = await signedPost(app, CREATE, undefined, { rawBody: body, headers: { sign: wrong } })
    t.equal(res.json().message, new ApiError(ErrorCode.WRONG_SIGN, expected).message, `${bytes} bytes`)
  }
})
