import t from 'tap'
import { loneSurrogateAt, mayHoldSurrogate } from '../../src/json/lone-surrogates.js'

const HIGH = '\uD83D'
const LOW = '\uDE00'

t.test('only a body with an escaped surrogate (\\uD800 to \\uDFFF) may hold a lone one', async (t) => {
  for (const text of ['"\\ud800"', '"\\uD83D\\uDE00"', '"\\uDBFF"', '"\\udc00"', '"\\uDfff"', '"\\uda00"']) t.equal(mayHoldSurrogate(text), true, text)
  t.equal(mayHoldSurrogate('"\\\\ud800"'), true, 'an escaped backslash before ud800: a false alarm, which the full check clears')
  for (const text of ['"\\ud7ff"', '"\\ue000"', '"\\u00e9"', `"${HIGH}${LOW}"`, '"d800"']) t.equal(mayHoldSurrogate(text), false, text)
})

t.test('the first string or field name with a lone surrogate, with its path', async (t) => {
  const cases: Array<[unknown, string | undefined]> = [
    [`${HIGH}${LOW}`, undefined],
    [`a${HIGH}`, 'body'],
    [`${HIGH}b`, 'body'],
    [`${LOW}b`, 'body'],
    [`${LOW}${HIGH}`, 'body'],
    [`${HIGH}${HIGH}${LOW}`, 'body'],
    [{ payload: { email: `x${LOW}` } }, 'payload.email'],
    [{ payload: { ok: `${HIGH}${LOW}`, list: ['fine', `${HIGH}`] } }, 'payload.list.1'],
    [[`${LOW}`, 'fine'], '0'],
    [['fine', [1, null, true, { k: `${HIGH}` }]], '1.3.k'],
    [{ a: `${HIGH}`, b: `${LOW}` }, 'a'],
    [[`${HIGH}`, `${LOW}`], '0'],
    [{ [`k${HIGH}`]: 1 }, 'body (a field name)'],
    [{ payload: { [`${LOW}`]: 'v' } }, 'payload (a field name)'],
    [{ n: 1, b: false, z: null, list: [], o: {} }, undefined],
    [42, undefined],
    [null, undefined]
  ]
  for (const [value, expected] of cases) t.equal(loneSurrogateAt(value), expected, JSON.stringify(value))
})

t.test('a body nested far deeper than the stack', async (t) => {
  let deep: unknown = `${HIGH}`
  for (let i = 0; i < 100_000; i++) deep = [deep]
  t.equal(loneSurrogateAt(deep), `${'0.'.repeat(99_999)}0`)
})
