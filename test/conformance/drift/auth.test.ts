import t from 'tap'
import { driftHarness } from './harness.js'

t.test('every deliberate auth drift is caught by the conformance suite', async (t) => {
  await driftHarness(t, 'auth')
})
