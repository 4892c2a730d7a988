import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import t, { type Test } from 'tap'
import { merchantAccepts } from '../support/calypso-signature.js'
import { build, createCustomer, deposit, signedPost, waitForDeliveries, webhookConfig } from '../support/helper.js'
import { scaled } from '../support/time-scale.js'

type Mode = 'up' | 'down' | 'error' | 'slow'

interface Seen { requestId: string, id: number }

/**
 * A receiver that flaps: answers 200, resets every connection (down), answers 500, or answers
 * later than the mock waits. It keeps its port throughout: down is a reset, not a closed port.
 */
async function flappingReceiver (t: Test, secret: () => string) {
  /** Every request read, whatever it was answered. */
  const arrived: Seen[] = []
  /** Requests answered 200 while the mock was still waiting for the answer. */
  const accepted: Seen[] = []
  let mode: Mode = 'up'
  const sockets = new Set<Socket>()
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (mode === 'down') { request.socket.destroy(); return }
      const raw = Buffer.concat(chunks)
      const event = JSON.parse(raw.toString()) as Seen
      arrived.push({ requestId: event.requestId, id: event.id })
      const verified = merchantAccepts(raw, secret(), request.headers.sign as string | undefined)
      const answer = () => {
        // A 200 counts only when the mock can still read it: a slow answer after its timeout does not.
        if (request.socket.destroyed) return
        response.statusCode = verified ? 200 : 401
        response.end('OK', () => { if (verified) accepted.push({ requestId: event.requestId, id: event.id }) })
      }
      if (mode === 'error') { response.statusCode = 500; response.end(); return }
      // Slow: the answer comes only once the mock has given up waiting for it.
      if (mode === 'slow') { request.socket.once('close', answer); return }
      answer()
    })
  })
  server.on('connection', (socket: Socket) => {
    if (mode === 'down') { socket.destroy(); return }
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const setMode = (next: Mode) => {
    // Going down drops the kept-alive connections too.
    if (next === 'down') for (const socket of sockets) socket.destroy()
    mode = next
  }
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { url: `http://127.0.0.1:${port}/hook`, arrived, accepted, setMode }
}

const distinct = (seen: Seen[], requestId: string): number[] =>
  [...new Set(seen.filter((s) => s.requestId === requestId).map((s) => s.id))].sort((a, b) => a - b)

t.test('a flapping receiver: every event reaches it, nothing more for a deleted subscription', async (t) => {
  let secretKey = ''
  const receiver = await flappingReceiver(t, () => secretKey)
  const app = await build(t, { webhook: webhookConfig(receiver.url, { timeoutMs: 100, retryScale: 0.0005 }) })
  secretKey = app.webhooks.configured!.secretKey
  const configured = (await signedPost(app, 'subscription/webhook', undefined)).json().subscriptions[0].requestId as string

  // A second subscription to the same receiver, deleted halfway: it must get nothing after that.
  const doomed = '2c7d1e0f-3a4b-4c5d-8e6f-7a8b9c0d1e2f'
  await signedPost(app, 'subscription/webhook/create', { requestId: doomed, notificationServiceTypes: ['CUSTOMER_PURSE'], url: receiver.url })

  const customer = await createCustomer(app)
  const modes: Mode[] = ['up', 'error', 'slow', 'down', 'up', 'slow', 'error', 'down']
  let doomedAtDelete: { arrived: number, delivered: number[], lastEventId: number } | undefined
  for (let round = 0; round < 16; round++) {
    receiver.setMode(modes[round % modes.length]!)
    const switchedAt = new Date(app.clock()).toISOString()
    await deposit(app, { customerId: customer.id, currency: 'TRX', amount: round + 1 })
    // Each mode meets at least one attempt to the live subscription before the next one.
    await waitForDeliveries(app, (d) => d.some((x) => x.subscriptionRequestId === configured && x.attempts.some((a) => a.startedAt >= switchedAt)), '?limit=1000')
    if (round === 8) {
      const del = await signedPost(app, 'subscription/webhook', { requestId: doomed }, { method: 'DELETE' })
      t.equal(del.statusCode, 200)
      // An attempt in flight at the delete may still land: read the log once none is.
      while (app.webhooks.dispatcher.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 5))
      const log = await waitForDeliveries(app, () => true, '?limit=1000')
      doomedAtDelete = {
        arrived: receiver.arrived.filter((a) => a.requestId === doomed).length,
        delivered: log.filter((d) => d.subscriptionRequestId === doomed && d.status === 'delivered').map((d) => d.id).sort((a, b) => a - b),
        lastEventId: Math.max(...log.map((d) => d.eventId))
      }
      t.ok(log.filter((d) => d.subscriptionRequestId === doomed).every((d) => d.status === 'delivered' || d.status === 'cancelled'),
        'the delete cancelled every pending delivery to it')
    }
  }
  receiver.setMode('up')

  const events = app.store.db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[]
  t.equal(events.length, 64, '16 deposits, 4 events each')
  const log = await waitForDeliveries(app, (d) => d.every((x) => x.status !== 'pending'), '?limit=1000', scaled(60_000))

  t.same(distinct(receiver.accepted, configured), events, 'every event was accepted by the live subscription (at least once)')
  t.ok(log.filter((d) => d.subscriptionRequestId === configured).every((d) => d.status === 'delivered'), 'and each of its deliveries is recorded as delivered')

  const toDoomed = log.filter((d) => d.subscriptionRequestId === doomed)
  t.ok(toDoomed.every((d) => d.eventId <= doomedAtDelete!.lastEventId), 'no event after the delete was queued for it')
  t.same(toDoomed.filter((d) => d.status === 'delivered').map((d) => d.id).sort((a, b) => a - b), doomedAtDelete!.delivered, 'nothing delivered to it after the delete')
  t.ok(toDoomed.every((d) => d.status === 'delivered' || d.status === 'cancelled'), 'its deliveries are delivered or cancelled, none failed or pending')
  t.equal(receiver.arrived.filter((a) => a.requestId === doomed).length, doomedAtDelete!.arrived, 'no request reached it after the delete')

  const errors = log.flatMap((d) => d.attempts.map((a) => a.error ?? 'none'))
  t.ok(errors.some((e) => /HTTP 500/.test(e)), 'an attempt met the 500')
  t.ok(errors.some((e) => /timed out/.test(e)), 'an attempt met the slow answer')
  t.ok(errors.some((e) => /ECONNRESET|socket hang up/.test(e)), 'an attempt met the reset connection')
})
