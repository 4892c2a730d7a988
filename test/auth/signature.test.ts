import t from 'tap'
import { isWellFormedSign, sign, signMatches } from '../../src/auth/signature.js'
import { DOCS_API_KEY, DOCS_API_SECRET } from '../../src/demo-credentials.js'
import { signRequest } from '../../src/testing/signatures.js'
import { merchantAccepts, PUBLISHED_EXAMPLE } from '../support/calypso-signature.js'

const { apiKey, secret, data, sign: published } = PUBLISHED_EXAMPLE

t.test('the published example: sign, signRequest and the check all agree with Calypso\'s literal', async (t) => {
  t.equal(sign(data, secret), published, 'sign')
  t.equal(sign(Buffer.from(data), secret), published, 'sign over bytes')
  t.equal(signRequest(data, secret), published, 'the library\'s signRequest')
  t.ok(signMatches(Buffer.from(data), secret, published))
  t.ok(merchantAccepts(data, secret, published), 'the tests\' own merchant check agrees too')
  t.same({ apiKey: DOCS_API_KEY, secret: DOCS_API_SECRET }, { apiKey, secret }, 'the mock\'s default account is the docs\' pair')
})

t.test('a sign matches only its exact bytes and secret', async (t) => {
  t.notOk(signMatches('{"timestamp": 1}', secret, published), 'one added space')
  t.notOk(signMatches(data, 'another-secret', published), 'another secret')
  t.ok(signMatches(data, secret, published.toUpperCase()), 'hex case does not matter')
  t.notOk(signMatches(data, secret, published.slice(0, 127)), 'too short')
  t.notOk(signMatches(data, secret, `${published.slice(0, 127)}g`), 'not hex')
  t.notOk(merchantAccepts('{"timestamp": 1}', secret, published), 'nor does the merchant check accept other bytes')
})

t.test('well-formed signs are 128 hex characters', async (t) => {
  t.ok(isWellFormedSign(published))
  t.notOk(isWellFormedSign(''))
  t.notOk(isWellFormedSign(`${published}00`))
})
