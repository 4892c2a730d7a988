import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import { ErrorCode, Reason } from '../../src/errors.js'
import { assertError, build, createCustomer, envelopeBody, signedPost } from '../support/helper.js'

const CREATE = 'customer-purse/customer/create'
const customers = (app: Awaited<ReturnType<typeof build>>) => app.store.db.prepare('SELECT count(*) FROM customers').pluck().get() as number

/** A signed create whose body has `text` (raw JSON, escapes as written) as the email. */
function bodyWithEmail (app: Awaited<ReturnType<typeof build>>, text: string): string {
  return envelopeBody(app.config.accounts[0]!.account, app.clock(), { email: 'PLACEHOLDER' }).replace('"PLACEHOLDER"', `"${text}"`)
}

t.test('a lone surrogate in a JSON string is refused with 001 naming the field, and nothing is stored', async (t) => {
  const app = await build(t)
  for (const text of ['\\ud800', 'a\\udfffb', '\\ud83e', '\\udd84\\ud83e']) {
    const res = await signedPost(app, CREATE, undefined, { rawBody: bodyWithEmail(app, text) })
    assertError(t, res, ErrorCode.BAD_REQUEST, Reason.loneSurrogate('payload.email'))
  }
  const inKey = envelopeBody(app.config.accounts[0]!.account, app.clock(), { email: 'a@example.com' }).replace('"email"', '"\\udc00"')
  assertError(t, await signedPost(app, CREATE, undefined, { rawBody: inKey }), ErrorCode.BAD_REQUEST, Reason.loneSurrogate('payload (a field name)'))
  t.equal(customers(app), 0)
})

t.test('a surrogate pair, escaped or not, is kept exactly', async (t) => {
  const app = await build(t)
  const escaped = await signedPost(app, CREATE, undefined, { rawBody: bodyWithEmail(app, 'unicorn-\\ud83e\\udd84@example.com') })
  t.equal(escaped.statusCode, 200)
  t.equal(escaped.json().email, 'unicorn-🦄@example.com')
  const customer = await createCustomer(app, { email: 'é-🦄@example.com' })
  t.equal((await signedPost(app, 'customer-purse/customer/update', { id: customer.id })).json().email, 'é-🦄@example.com')
})

t.test('a body that is not valid UTF-8 is refused with 001', async (t) => {
  const app = await build(t)
  const creds = app.config.accounts[0]!
  // ED A0 starts a UTF-8-encoded surrogate; FF never appears in UTF-8.
  for (const bad of [[0xed, 0xa0], [0xff, 0x41]]) {
    const body = Buffer.from(bodyWithEmail(app, 'AB'))
    body.set(bad, body.indexOf('AB'))
    const res = await app.inject({ method: 'POST', url: `/api/v1/${CREATE}`, payload: body, headers: { 'content-type': 'application/json', key: creds.apiKey, sign: sign(body, creds.apiSecret) } })
    assertError(t, res, ErrorCode.BAD_REQUEST, Reason.bodyNotUtf8)
  }
  t.equal(customers(app), 0)
})

t.test('/_mock bodies are held to the same rule', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: '/_mock/accounts', payload: '{"apiKey":"key-\\ud800-1234"}', headers: { 'content-type': 'application/json' } })
  assertError(t, res, ErrorCode.BAD_REQUEST, Reason.loneSurrogate('apiKey'))
  t.equal((app.store.db.prepare('SELECT count(*) FROM accounts').pluck().get() as number), 1)
})
