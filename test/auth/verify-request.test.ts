import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import type { AuthCheck } from '../../src/auth/verify-request.js'
import { DEFAULT_ACCOUNT } from '../../src/demo-credentials.js'
import { testConfig } from '../../src/test-config.js'
import { ApiError, ErrorCode, Reason, type ErrorCodeValue } from '../../src/errors.js'
import { assertError, build, createCustomer, envelopeBody, manualClock, OTHER_ACCOUNT, signedPost } from '../support/helper.js'

const CREATE = 'customer-purse/customer/create'

function countCustomers (app: Awaited<ReturnType<typeof build>>): number {
  return (app.store.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n
}

t.test('a correctly signed request passes', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, { email: 'a@example.com' })
  t.equal(res.statusCode, 200)
  t.equal(countCustomers(app), 1)
})

t.test('a pretty-printed body with timestamp first is verified over its exact bytes', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, { email: 'pretty@example.com' }, { pretty: true })
  t.equal(res.statusCode, 200)
  t.equal(res.json().email, 'pretty@example.com')
})

t.test('Key', async (t) => {
  t.test('missing', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { headers: { key: undefined } }), ErrorCode.INVALID_API_KEY, Reason.keyMissing)
    t.equal(countCustomers(app), 0)
  })
  t.test('unknown', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { headers: { key: 'not-a-key' } }), ErrorCode.INVALID_API_KEY, /not-a-key/)
    t.equal(countCustomers(app), 0)
  })
  t.test('is checked before the body is parsed', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { rawBody: '{not json', headers: { key: 'nope' } }), ErrorCode.INVALID_API_KEY)
  })
})

t.test('Sign', async (t) => {
  t.test('missing', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { headers: { sign: undefined } }), ErrorCode.WRONG_SIGN, Reason.signMissing)
  })
  t.test('not 128 hex characters', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { headers: { sign: 'abc' } }), ErrorCode.WRONG_SIGN, Reason.signMalformed)
  })
  t.test('made with another secret', async (t) => {
    const app = await build(t)
    const body = envelopeBody(DEFAULT_ACCOUNT, app.clock(), {})
    assertError(t, await signedPost(app, CREATE, {}, { rawBody: body, headers: { sign: sign(body, 'wrong-secret') } }), ErrorCode.WRONG_SIGN, Reason.signMismatch)
    t.equal(countCustomers(app), 0)
  })
  t.test('over a re-serialised body rather than the bytes sent', async (t) => {
    const app = await build(t)
    const sent = envelopeBody(DEFAULT_ACCOUNT, app.clock(), { email: 'x@example.com' }, true)
    const reserialised = JSON.stringify(JSON.parse(sent))
    const res = await signedPost(app, CREATE, {}, { rawBody: sent, headers: { sign: sign(reserialised, app.config.accounts[0]!.apiSecret) } })
    assertError(t, res, ErrorCode.WRONG_SIGN)
  })
  t.test('uppercase hex is refused, saying why, even when it is the right HMAC', async (t) => {
    const app = await build(t)
    const body = envelopeBody(DEFAULT_ACCOUNT, app.clock(), {})
    const right = sign(body, app.config.accounts[0]!.apiSecret)
    for (const sent of [right.toUpperCase(), right.slice(0, 64) + right.slice(64).toUpperCase()]) {
      assertError(t, await signedPost(app, CREATE, {}, { rawBody: body, headers: { sign: sent } }), ErrorCode.WRONG_SIGN, Reason.signNotLowercase)
    }
    t.equal(countCustomers(app), 0)
  })
})

t.test('body', async (t) => {
  t.test('invalid JSON with a valid sign', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { rawBody: '{"account": ' }), ErrorCode.BAD_REQUEST, /not valid JSON/)
  })
  t.test('empty', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { rawBody: '' }), ErrorCode.BAD_REQUEST, Reason.bodyMissing)
  })
  t.test('not an object', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { rawBody: '[1,2]' }), ErrorCode.BAD_REQUEST, Reason.bodyNotObject)
  })
  t.test('payload missing', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, undefined), ErrorCode.BAD_REQUEST, /payload/)
  })
})

t.test('timestamp', async (t) => {
  const clock = manualClock()
  const cases: Array<[string, unknown, string | RegExp]> = [
    ['missing', undefined, Reason.timestampMissing],
    ['a string', String(clock()), Reason.timestampNotInteger],
    ['a fraction', clock() + 0.5, Reason.timestampNotInteger],
    ['in seconds', Math.floor(clock() / 1000), /behind the server clock/],
    ['stale by one ms past the window', clock() - 180_001, /180001 ms behind the server clock; the allowed window is ±180000 ms/],
    ['in the future past the window', clock() + 180_001, /ahead of the server clock/]
  ]
  for (const [name, timestamp, message] of cases) {
    t.test(name, async (t) => {
      const app = await build(t, {}, { clock })
      const body = JSON.stringify({ account: DEFAULT_ACCOUNT, timestamp, payload: {} })
      assertError(t, await signedPost(app, CREATE, {}, { rawBody: body }), ErrorCode.INVALID_TIMESTAMP, message)
      t.equal(countCustomers(app), 0)
    })
  }
  t.test('exactly at the edge of the window passes', async (t) => {
    const app = await build(t, {}, { clock })
    t.equal((await signedPost(app, CREATE, {}, { timestamp: clock() - 180_000 })).statusCode, 200)
    t.equal((await signedPost(app, CREATE, {}, { timestamp: clock() + 180_000 })).statusCode, 200)
  })
  t.test('the window is configurable', async (t) => {
    const app = await build(t, { timestampWindowMs: 1000 }, { clock })
    assertError(t, await signedPost(app, CREATE, {}, { timestamp: clock() - 1001 }), ErrorCode.INVALID_TIMESTAMP)
    t.equal((await signedPost(app, CREATE, {}, { timestamp: clock() - 1000 })).statusCode, 200)
  })
})

t.test('account', async (t) => {
  t.test('not 0x + 40 hex', async (t) => {
    const app = await build(t)
    assertError(t, await signedPost(app, CREATE, {}, { account: 'merchant-1' }), ErrorCode.BAD_REQUEST, /account/)
  })
  t.test('written in other letter case is refused, saying so', async (t) => {
    const app = await build(t)
    const shouted = DEFAULT_ACCOUNT.toUpperCase().replace('0X', '0x')
    assertError(t, await signedPost(app, CREATE, {}, { account: shouted }), ErrorCode.INVALID_API_KEY, Reason.accountCase(shouted, DEFAULT_ACCOUNT))
    t.equal(countCustomers(app), 0)
  })
  t.test('a configured account keeps its spelling: requests write it exactly so', async (t) => {
    const mixed = { account: '0xCa11AB1e000000000000000000000000000000c3', apiKey: 'mixed-case-key', apiSecret: 'mixed-case-secret' }
    const app = await build(t, { accounts: [mixed] })
    t.equal((await signedPost(app, CREATE, {}, { as: mixed })).statusCode, 200, 'as configured')
    for (const other of [mixed.account.toLowerCase(), mixed.account.toUpperCase().replace('0X', '0x')]) {
      assertError(t, await signedPost(app, CREATE, {}, { as: mixed, account: other }), ErrorCode.INVALID_API_KEY, Reason.accountCase(other, mixed.account))
    }
    t.equal(countCustomers(app), 1)
  })
  t.test('a valid key and sign for account A cannot act for account B', async (t) => {
    const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
    const customer = await createCustomer(app)
    // Signed correctly by the other account's own key, but naming the default account in the body.
    const res = await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id }, { as: OTHER_ACCOUNT, account: DEFAULT_ACCOUNT })
    assertError(t, res, ErrorCode.INVALID_API_KEY, Reason.keyNotForAccount(DEFAULT_ACCOUNT))
    const unchanged = await signedPost(app, 'customer-purse/customer/update', { id: customer.id })
    t.equal(unchanged.json().blocked, false)
    // With its own account in the body, the other key simply does not see the customer.
    const own = await signedPost(app, 'customer-purse/customer/block', { customerId: customer.id }, { as: OTHER_ACCOUNT })
    assertError(t, own, ErrorCode.NOT_FOUND)
  })
})

/** An app's answer to `res`, with the verdict the request journal recorded for it. */
function refusal (app: Awaited<ReturnType<typeof build>>, res: { statusCode: number, json: () => unknown }) {
  const body = res.json() as { errorCode: string, message: string }
  return { status: res.statusCode, errorCode: body.errorCode, message: body.message, auth: app.journal.list({ limit: 1 })[0]?.auth }
}

t.test('each refusal has its exact message, and the journal names the check and keeps the message', async (t) => {
  const clock = manualClock()
  const app = await build(t, {}, { clock })
  const { account } = app.config.accounts[0]!
  const envelope = (fields: Record<string, unknown>) => JSON.stringify({ account, timestamp: clock(), payload: {}, ...fields })
  const refused = (errorCode: ErrorCodeValue, reason: string, check: AuthCheck) => {
    const message = new ApiError(errorCode, reason).message
    return { status: 400, errorCode, message, auth: { passed: false, check, reason: message } }
  }
  const cases: Array<[string, Parameters<typeof signedPost>[3], ReturnType<typeof refusal>]> = [
    ['an empty Key is missing, not unknown', { headers: { key: '' } },
      refused(ErrorCode.INVALID_API_KEY, Reason.keyMissing, 'key')],
    ['an unknown Key', { headers: { key: 'not-a-key-of-ours' } },
      refused(ErrorCode.INVALID_API_KEY, Reason.keyUnknown('not-a-key-of-ours'), 'key')],
    ['a null timestamp is missing, not a wrong type', { rawBody: envelope({ timestamp: null }) },
      refused(ErrorCode.INVALID_TIMESTAMP, Reason.timestampMissing, 'timestamp')],
    ['a timestamp in a string', { rawBody: envelope({ timestamp: String(clock()) }) },
      refused(ErrorCode.INVALID_TIMESTAMP, Reason.timestampNotInteger, 'timestamp')],
    ['an account that is an array of the right account', { rawBody: envelope({ account: [account] }) },
      refused(ErrorCode.BAD_REQUEST, `account: ${Reason.accountInvalid}`, 'account')],
    ['an account that is a number', { rawBody: envelope({ account: 42 }) },
      refused(ErrorCode.BAD_REQUEST, `account: ${Reason.accountInvalid}`, 'account')],
    ['another account\'s id', { account: OTHER_ACCOUNT.account },
      refused(ErrorCode.INVALID_API_KEY, Reason.keyNotForAccount(OTHER_ACCOUNT.account), 'account')],
    ['a Sign in upper case', { rawBody: envelope({}), headers: { sign: sign(envelope({}), app.config.accounts[0]!.apiSecret).toUpperCase() } },
      refused(ErrorCode.WRONG_SIGN, Reason.signNotLowercase, 'sign')],
    ['an empty Sign is missing, not malformed', { headers: { sign: '' } },
      refused(ErrorCode.WRONG_SIGN, Reason.signMissing, 'sign')],
    ['a Sign that is not 128 hex characters', { headers: { sign: 'abc' } },
      refused(ErrorCode.WRONG_SIGN, Reason.signMalformed, 'sign')],
    ['a Sign made with another secret, which no hint explains', { rawBody: envelope({}), headers: { sign: sign(envelope({}), 'another secret') } },
      refused(ErrorCode.WRONG_SIGN, Reason.signMismatch, 'sign')],
    ['no body and no Content-Type', { rawBody: '', headers: { 'content-type': undefined } },
      refused(ErrorCode.BAD_REQUEST, Reason.bodyMissing, 'body')],
    ['a body that is null', { rawBody: 'null' },
      refused(ErrorCode.BAD_REQUEST, Reason.bodyNotObject, 'body')],
    ['an empty body', { rawBody: '' },
      refused(ErrorCode.BAD_REQUEST, Reason.bodyMissing, 'body')],
    ['a body that is a number', { rawBody: '42' },
      refused(ErrorCode.BAD_REQUEST, Reason.bodyNotObject, 'body')],
    ['a body that is a string', { rawBody: '"{}"' },
      refused(ErrorCode.BAD_REQUEST, Reason.bodyNotObject, 'body')],
    ['a timestamp past the window', { rawBody: envelope({ timestamp: clock() + 180_001 }) },
      refused(ErrorCode.INVALID_TIMESTAMP, Reason.timestampOutOfWindow(180_001, 180_000), 'timestamp')]
  ]
  for (const [name, options, expected] of cases) {
    t.same(refusal(app, await signedPost(app, CREATE, {}, options)), expected, name)
  }
  t.equal(countCustomers(app), 0)
  t.equal((await signedPost(app, CREATE, {})).statusCode, 200)
  t.same(app.journal.list({ limit: 1 })[0]!.auth, { passed: true }, 'a request that passes is journalled as passed')
})

t.test('invalid JSON under a valid Sign is refused by the body check', async (t) => {
  const app = await build(t)
  const res = await signedPost(app, CREATE, {}, { rawBody: '{"account": ' })
  t.equal(res.statusCode, 400)
  t.match(app.journal.list({ limit: 1 })[0]!.auth, { passed: false, check: 'body', reason: /not valid JSON/ })
})
