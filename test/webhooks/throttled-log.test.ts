import t from 'tap'
import { createThrottledLog } from '../../src/webhooks/throttled-log.js'
import { manualClock } from '../support/helper.js'

function setUp (everyMs = 1000) {
  const clock = manualClock()
  const log = createThrottledLog(everyMs, clock)
  const lines: Array<[string, number]> = []
  const report = (cause: string) => log.report(cause, (count) => lines.push([cause, count]))
  return { clock, log, lines, report }
}

t.test('a cause is logged at once, then at most once per interval, with what was folded in counted', async (t) => {
  const { clock, lines, report } = setUp(1000)
  report('ECONNREFUSED')
  t.same(lines, [['ECONNREFUSED', 1]], 'the first occurrence at once')
  clock.advance(400)
  report('ECONNREFUSED')
  clock.advance(599)
  report('ECONNREFUSED')
  t.same(lines.length, 1, 'folded while under the interval')
  clock.advance(1)
  report('ECONNREFUSED')
  t.same(lines, [['ECONNREFUSED', 1], ['ECONNREFUSED', 3]], 'a full interval after the last line: logged, counting the two folded ones')
  clock.advance(999)
  report('ECONNREFUSED')
  clock.advance(1)
  report('ECONNREFUSED')
  t.same(lines.at(-1), ['ECONNREFUSED', 2], 'the interval runs from the last line written')
})

t.test('each cause has its own interval', async (t) => {
  const { clock, lines, report } = setUp(1000)
  report('a')
  clock.advance(10)
  report('b')
  report('a')
  t.same(lines, [['a', 1], ['b', 1]])
})

t.test('clear forgets every cause: the next occurrence is logged at once, counted alone', async (t) => {
  const { clock, log, lines, report } = setUp(1000)
  report('a')
  report('a')
  clock.advance(10)
  log.clear()
  report('a')
  t.same(lines, [['a', 1], ['a', 1]])
})
