import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import t, { type Test } from 'tap'
import { signMatches } from '../../src/auth/signature.js'
import { build, createCustomer, deposit, signedPost, waitForDeliveries, webhookConfig } from '../helper.js'

type Mode = 'up' | 'down' | 'error' | 'slow'

/** A receiver that flaps: answers 200, is not listening, answers 500, or answers later than the mock waits. */
async function flappingReceiver (t: Test, secret: () => string) {
  const accepted: Array<{ requestId: string, id: number }> = []
  let mode: Mode = 'up'
  const sockets = new Set<Socket>()
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const raw = Buffer.concat(chunks)
      const event = JSON.parse(raw.toString()) as { requestId: string, id: number }
      const verified = signMatches(raw, secret(), request.headers.sign as string)
      const answer = () => {
        // A 200 counts only when the mock can still read it: a slow answer after its timeout does not.
        if (request.socket.destroyed) return
        response.statusCode = verified ? 200 : 401
        response.end('OK', () => { if (verified) accepted.push({ requestId: event.requestId, id: event.id }) })
      }
      if (mode === 'error') { response.statusCode = 500; response.end(); return }
      if (mode === 'slow') { setTimeout(answer, 250); return }
      answer()
    })
  })
  server.on('connection', (socket: Socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)) })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const setMode = async (next: Mode) => {
    if (next === 'down' && mode !== 'down') {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    if (next !== 'down' && mode === 'down') await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    mode = next
  }
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy()
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { url: `http://127.0.0.1:${port}/hook`, accepted, setMode }
}

t.test('a flapping receiver: no event lost, none accepted twice, nothing for a deleted subscription', async (t) => {
  let secretKey = ''
  const receiver = await flappingReceiver(t, () => secretKey)
  const app = await build(t, { webhook: webhookConfig(receiver.url, { timeoutMs: 100, retryScale: 0.0005 }) })
  secretKey = app.webhooks.configured!.secretKey
  const configuredRequestId = (await signedPost(app, 'subscription/webhook', undefined)).json().subscriptions[0].requestId

  // A second subscription to the same receiver, deleted halfway: it must get nothing after that.
  const doomed = '2c7d1e0f-3a4b-4c5d-8e6f-7a8b9c0d1e2f'
  await signedPost(app, 'subscription/webhook/create', { requestId: doomed, notificationServiceTypes: ['CUSTOMER_PURSE'], url: receiver.url })

  const customer = await createCustomer(app)
  const modes: Mode[] = ['up', 'error', 'slow', 'down', 'up', 'slow', 'error', 'down']
  let acceptedForDoomedAtDelete = -1
  for (let round = 0; round < 16; round++) {
    await receiver.setMode(modes[round % modes.length]!)
    await deposit(app, { customerId: customer.id, currency: 'TRX', amount: round + 1 })
    if (round === 8) {
      const del = await signedPost(app, 'subscription/webhook', { requestId: doomed }, { method: 'DELETE' })
      t.equal(del.statusCode, 200)
      // Anything in flight to it right now may still land; count once it has settled.
      while (app.webhooks.dispatcher.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 5))
      acceptedForDoomedAtDelete = receiver.accepted.filter((a) => a.requestId === doomed).length
    }
    await new Promise((resolve) => setTimeout(resolve, 60))
  }
  await receiver.setMode('up')

  const events = app.store.db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[]
  t.equal(events.length, 64, '16 deposits, 4 events each')
  await waitForDeliveries(app, (d) => d.every((x) => x.status !== 'pending'), '?limit=1000', 60_000)

  const toConfigured = receiver.accepted.filter((a) => a.requestId === configuredRequestId).map((a) => a.id)
  t.same([...new Set(toConfigured)].sort((a, b) => a - b), events, 'every event reached the live subscription')
  t.equal(toConfigured.length, new Set(toConfigured).size, 'no event was accepted twice')
  t.equal(receiver.accepted.filter((a) => a.requestId === doomed).length, acceptedForDoomedAtDelete, 'nothing reached the deleted subscription after its delete')
  const attempts = app.store.db.prepare('SELECT count(*) FROM delivery_attempts').pluck().get() as number
  t.ok(attempts > toConfigured.length, `${attempts} attempts for ${toConfigured.length} deliveries: the failures were retried`)
})
