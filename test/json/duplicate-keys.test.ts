import t from 'tap'
import { findDuplicateKey } from '../../src/json/duplicate-keys.js'

t.test('finds the first key given twice in one object, with its path', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['{"account":"a","timestamp":1,"account":"b"}', 'account'],
    ['{"payload":{"customerId":"a","customerId":"b"}}', 'payload.customerId'],
    ['{"a":[{"x":1},{"x":1,"x":2}]}', 'a[1].x'],
    ['[[1,2],{"z":[],"z":1}]', '[1].z'],
    ['{"a\\u0062":1,"ab":2}', 'ab'],
    ['{"a":{"b":1},"b":1}', undefined],
    ['{"s":"a,\\"s\\":1","t":1}', undefined],
    ['{"payload":{},"x":{"payload":{}}}', undefined],
    ['"text"', undefined],
    ['[]', undefined],
    ['{"a":"b","c":"b"}', undefined],
    ['{"a":["x","x"],"b":["x"]}', undefined],
    ['["a","a",{"a":1}]', undefined],
    ['{"a":1,"b":{"c":1},"a":2}', 'a'],
    ['{"q\\"":1,"q\\"":2}', 'q"'],
    ['{"a":[[],[{"k":1,"k":1}]]}', 'a[1][0].k'],
    ['{"a":{"b":[1,{"c":1,"c":1}]}}', 'a.b[1].c'],
    ['[{},"x","x"]', undefined],
    ['{"a":[{}],"b":1,"b":2}', 'b']
  ]
  for (const [text, expected] of cases) t.equal(findDuplicateKey(text), expected, text)
})

t.test('handles deep nesting without recursion', async (t) => {
  t.equal(findDuplicateKey('['.repeat(100_000) + ']'.repeat(100_000)), undefined)
  t.equal(findDuplicateKey('{"a":'.repeat(5000) + '{"k":1,"k":2}' + '}'.repeat(5000)), `${'a.'.repeat(5000)}k`)
})
