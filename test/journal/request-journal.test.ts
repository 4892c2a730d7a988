import t from 'tap'
import { createRequestJournal } from '../../src/journal/request-journal.js'

const call = (path: string, errorCode: string | null = null) => ({
  time: '2026-01-01T00:00:00.000Z', method: 'POST', path, traceId: path, key: null, auth: null, faultId: null, status: errorCode === null ? 200 : 400, errorCode, durationMs: 1
})

t.test('a full journal keeps the newest calls, newest first, and forgets the oldest', async (t) => {
  const journal = createRequestJournal(3)
  for (const path of ['/a', '/b', '/c', '/d', '/e']) journal.record(call(path), Buffer.from(`{"p":"${path}"}`))
  t.same(journal.list({ limit: 10 }).map((e) => [e.id, e.path, e.body]), [[5, '/e', '{"p":"/e"}'], [4, '/d', '{"p":"/d"}'], [3, '/c', '{"p":"/c"}']])
  t.same(journal.list({ limit: 2 }).map((e) => e.path), ['/e', '/d'], 'the limit takes the newest')
})

t.test('filters look through every kept call; clear empties it and ids go on', async (t) => {
  const journal = createRequestJournal(4)
  for (let i = 0; i < 6; i++) journal.record(call(`/x${i}`, i % 2 === 0 ? '003' : null), undefined)
  t.same(journal.list({ limit: 10, errorCode: '003' }).map((e) => e.path), ['/x4', '/x2'])
  t.same(journal.list({ limit: 10, path: 'x3' }).map((e) => e.path), ['/x3'])
  journal.clear()
  t.same(journal.list({ limit: 10 }), [])
  journal.record(call('/y'), undefined)
  t.same(journal.list({ limit: 10 }).map((e) => [e.id, e.path, e.body]), [[7, '/y', null]])
})
