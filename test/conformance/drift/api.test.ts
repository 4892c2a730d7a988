import t from 'tap'
import { driftHarness } from './harness.js'

t.test('every deliberate api drift is caught by the conformance suite', async (t) => {
  await driftHarness(t, 'api')
})
