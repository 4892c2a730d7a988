import t from 'tap'
import { isWellFormedSign, sign, signMatches } from '../../src/auth/signature.js'
import { DOCS_API_KEY, DOCS_API_SECRET } from '../../src/config.js'

// Published in Calypso's "Get started with API" page, for key c529e148... and body {"timestamp":1}.
const PUBLISHED_SIGN = 'b16e9d45f49f2069becbc4f108b237bee588cfc353fe9501df103e692acbc68d482a10d34c12bea22fedde7e28e1b8e57a6a0a373b0e9a27c5257bd8b36e13b9'

t.test('the published test vector', async (t) => {
  t.equal(DOCS_API_KEY, 'c529e14832b34b74972365cf7bf02430')
  t.equal(sign('{"timestamp":1}', DOCS_API_SECRET), PUBLISHED_SIGN)
  t.ok(signMatches(Buffer.from('{"timestamp":1}'), DOCS_API_SECRET, PUBLISHED_SIGN))
})

t.test('a sign matches only its exact bytes and secret', async (t) => {
  t.notOk(signMatches('{"timestamp": 1}', DOCS_API_SECRET, PUBLISHED_SIGN), 'one added space')
  t.notOk(signMatches('{"timestamp":1}', 'another-secret', PUBLISHED_SIGN), 'another secret')
  t.ok(signMatches('{"timestamp":1}', DOCS_API_SECRET, PUBLISHED_SIGN.toUpperCase()), 'hex case does not matter')
  t.notOk(signMatches('{"timestamp":1}', DOCS_API_SECRET, PUBLISHED_SIGN.slice(0, 127)), 'too short')
  t.notOk(signMatches('{"timestamp":1}', DOCS_API_SECRET, `${PUBLISHED_SIGN.slice(0, 127)}g`), 'not hex')
})

t.test('well-formed signs are 128 hex characters', async (t) => {
  t.ok(isWellFormedSign(PUBLISHED_SIGN))
  t.notOk(isWellFormedSign(''))
  t.notOk(isWellFormedSign(`${PUBLISHED_SIGN}00`))
})
