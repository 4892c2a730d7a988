import t from 'tap'
import { testConfig } from '../../../src/config.js'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { OTHER_ACCOUNT, assertError, build, createCustomer } from '../../helper.js'

type App = Awaited<ReturnType<typeof build>>

const customers = (app: App) => app.store.db.prepare('SELECT count(*) FROM customers').pluck().get() as number

async function fixture (t: Parameters<typeof build>[0]) {
  const app = await build(t, { accounts: [...testConfig().accounts, OTHER_ACCOUNT] })
  await createCustomer(app)
  await createCustomer(app, {}, { as: OTHER_ACCOUNT })
  return app
}

t.test('POST /_mock/reset takes {} or {"account": ...} and nothing else', async (t) => {
  const app = await fixture(t)
  const refused: Array<[string, string | undefined]> = [
    ['{"acount":"0x00000000000000000000000000000000000000b2"}', 'a misspelt field'],
    ['{"account":"0x00000000000000000000000000000000000000b2","all":true}', 'a known field with an unknown one'],
    ['null', 'null'],
    ['[]', 'an array'],
    ['[{"account":"0x00000000000000000000000000000000000000b2"}]', 'an array of the right object'],
    ['"all"', 'a string'],
    ['0', 'a number'],
    ['true', 'a boolean'],
    ['{"account":null}', 'a null account'],
    ['{"account":""}', 'an empty account'],
    ['', 'an empty JSON body']
  ].map(([body, label]) => [body as string, label])
  for (const [body, label] of refused) {
    const res = await app.inject({ method: 'POST', url: '/_mock/reset', payload: body, headers: { 'content-type': 'application/json' } })
    assertError(t, res, ErrorCode.BAD_REQUEST)
    t.equal(customers(app), 2, `${label} deletes nothing`)
  }
  const misspelt = await app.inject({ method: 'POST', url: '/_mock/reset', payload: { acount: OTHER_ACCOUNT.account } })
  t.match(misspelt.json().message, /acount/, 'the unknown field is named')
  t.match(misspelt.json().message, Reason.resetBody)
})

t.test('a POST with no body at all is refused too: a reset of everything is asked for with {}', async (t) => {
  const app = await fixture(t)
  const res = await app.inject({ method: 'POST', url: '/_mock/reset' })
  t.equal(res.statusCode, 415)
  t.match(res.json(), { errorCode: ErrorCode.BAD_REQUEST, message: `Bad request: ${Reason.mockContentType(undefined)}` })
  t.equal(customers(app), 2)
})

t.test('{"account": ...} resets that account only, {} everything', async (t) => {
  const app = await fixture(t)
  t.same((await app.inject({ method: 'POST', url: '/_mock/reset', payload: { account: OTHER_ACCOUNT.account } })).json(), { reset: OTHER_ACCOUNT.account, lastEventId: 0 })
  t.equal(customers(app), 1)
  t.same((await app.inject({ method: 'POST', url: '/_mock/reset', payload: {} })).json(), { reset: 'all', lastEventId: 0 })
  t.equal(customers(app), 0)
})
