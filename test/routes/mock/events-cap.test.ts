import { request, type IncomingMessage } from 'node:http'
import t from 'tap'
import { ErrorCode, Reason } from '../../../src/errors.js'
import { MAX_CLIENTS } from '../../../src/live/live-hub.js'
import { build } from '../../support/helper.js'
import { listen } from '../../support/live-client.js'

/** Opens GET /_mock/events and resolves with the answer's head; the body is left unread, as a stalled client leaves it. */
function open (url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/_mock/events`, { agent: false }, resolve)
    req.on('error', reject)
    req.end()
  })
}

t.test(`/_mock/events serves ${MAX_CLIENTS} clients at once; one more gets 503 saying why`, async (t) => {
  const app = await build(t)
  const url = await listen(app)
  const streams: IncomingMessage[] = []
  t.teardown(() => { for (const s of streams) s.destroy() })
  for (let i = 0; i < MAX_CLIENTS; i++) {
    const res = await open(url)
    streams.push(res)
    t.equal(res.statusCode, 200)
  }
  t.equal(app.live.clients(), MAX_CLIENTS)
  const refused = await open(url)
  t.equal(refused.statusCode, 503)
  let text = ''
  for await (const chunk of refused) text += String(chunk)
  t.match(JSON.parse(text), { errorCode: ErrorCode.INTERNAL, message: `Internal server error: ${Reason.tooManyLiveClients(MAX_CLIENTS)}` })
  const closed = streams.pop()!
  closed.destroy()
  while (app.live.clients() === MAX_CLIENTS) await new Promise((resolve) => setImmediate(resolve))
  const again = await open(url)
  streams.push(again)
  t.equal(again.statusCode, 200, 'a place freed is taken again')
})
