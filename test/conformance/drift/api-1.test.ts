import t from 'tap'
import { driftHarness } from './harness.js'

// Each drift is a whole suite run: more than the default file timeout on a busy machine.
t.setTimeout(300_000)

t.test('every deliberate API drift (part 1 of 2) is caught by the conformance suite', async (t) => {
  await driftHarness(t, 'api', { of: 2, index: 0 })
})
