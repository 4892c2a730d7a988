import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import { ErrorCode, Reason } from '../../src/errors.js'
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
