import { randomUUID } from 'node:crypto'
import { sign } from '../../auth/signature.js'
import type { CheckContext } from '../check.js'
import type { ConformanceClient } from '../client.js'
import { DOCUMENTED_RETRY_SECONDS, EXPIRED_EVENT_DATA, TRANSACTION_EVENT_DATA, WEBHOOK_CREATED_DATE } from '../contract.js'
import { startReceiver, type Receiver, type Received } from '../receiver.js'
import { Path, isRecord, type Scenario } from '../scenario.js'

const CURRENCY = 'ETH'
const DECLINE_CURRENCY = 'LTC'
const CONFIRMED_FLOW = ['CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE', 'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED']
const DECLINED_FLOW = ['CUSTOMER_PURSE_MEM_POOL_FOUND', 'CUSTOMER_PURSE_PENDING_COMPLIANCE', 'CUSTOMER_PURSE_COMPLIANCE_DECLINED']
/** The answers of the first event's attempts on the only-200 subscription, then 200. */
const NOT_200 = [204, 500]
/** How many retry intervals the ladder check measures. */
const LADDER_INTERVALS = 5
/** How often the delivery log is read while retries are due. */
const POLL_MS = 10
/** How long the webhooks of a deposit may take to be delivered when no retry is due. */
const ARRIVAL_MS = 10_000

interface Subscription {
  client: ConformanceClient
  requestId: string
  publicKey: string
  secretKey: string
  path: string
}

interface Event {
  eventType: string
  id: number
  transactionId: unknown
  data: Record<string, unknown>
}

function eventOf (received: Received): Event | undefined {
  const json = received.json
  if (!isRecord(json) || !isRecord(json.data)) return undefined
  return { eventType: String(json.eventType), id: Number(json.id), transactionId: json.data.transactionId, data: json.data }
}

function ofTransaction (received: Received[], transactionId: string): Received[] {
  return received.filter((r) => eventOf(r)?.transactionId === transactionId)
}

function describe (received: Received): string {
  const event = eventOf(received)
  return event === undefined ? `the webhook to ${received.path}` : `webhook ${event.eventType} (event ${event.id})`
}

/** The retry intervals the ladder waits for, at the target's scale, in ms. */
function ladderMs (scale: number): number[] {
  return DOCUMENTED_RETRY_SECONDS.slice(0, LADDER_INTERVALS).map((s) => s * 1000 * scale)
}

/**
 * Webhooks end to end, on calypso-mock only (elsewhere nothing can be deposited, so nothing is
 * sent): the suite runs its own receiver, subscribes it through the API on accounts of its own,
 * deposits, and checks what arrives against Calypso's published facts.
 */
export const webhooksScenario: Scenario = {
  name: 'webhooks',
  plan: () => [
    'only on calypso-mock: start a webhook receiver on a free port of 127.0.0.1, make three accounts through POST /_mock/accounts and subscribe the receiver on each (subscription/webhook/create)',
    `deposit 1 ${CURRENCY} to an unblocked and to a blocked customer, and decline 1 ${DECLINE_CURRENCY}; check each webhook's Key, Sign, fields, createdDate and blocked flag`,
    `answer ${NOT_200.join(' then ')} to a first delivery (it must be retried), and 500 to ${LADDER_INTERVALS} attempts of another (the retry ladder, at the target's WEBHOOK_RETRY_SCALE)`,
    'delete the three subscriptions and stop the receiver'
  ],
  async run (s) {
    let receiver: Receiver | undefined
    const subscriptions: Subscription[] = []
    const budgetMs = s.target.retryBudgetMs ?? 20_000

    const account = async (t: CheckContext): Promise<ConformanceClient> => {
      const body = t.success(await t.mock('POST', '/_mock/accounts', {}), 201)
      if (typeof body.account !== 'string' || typeof body.apiKey !== 'string' || typeof body.apiSecret !== 'string') t.stop('POST /_mock/accounts: expected {account, apiKey, apiSecret}')
      return s.client.as({ account: body.account as string, apiKey: body.apiKey as string, apiSecret: body.apiSecret as string })
    }
    const subscribe = async (t: CheckContext, client: ConformanceClient, path: string): Promise<Subscription> => {
      const r = t.need(receiver, 'the receiver')
      const requestId = randomUUID()
      const body = t.success(await t.call({ path: Path.createWebhook, payload: { requestId, notificationEventTypes: [], notificationServiceTypes: ['CUSTOMER_PURSE'], url: r.url(path) } }, client))
      if (typeof body.publicKey !== 'string' || typeof body.secretKey !== 'string') t.stop(`${Path.createWebhook}: expected publicKey and secretKey strings`)
      const subscription = { client, requestId, publicKey: body.publicKey as string, secretKey: body.secretKey as string, path }
      subscriptions.push(subscription)
      return subscription
    }
    const customer = async (t: CheckContext, client: ConformanceClient, blocked: boolean): Promise<string> => {
      const body = t.success(await t.call({ path: Path.createCustomer, payload: { email: s.identity.email, description: s.identity.description } }, client))
      if (typeof body.id !== 'string') t.stop(`${Path.createCustomer}: no customer id`)
      if (blocked) t.success(await t.call({ path: Path.blockCustomer, payload: { customerId: body.id } }, client))
      return body.id as string
    }
    const deposit = async (t: CheckContext, customerId: string, currency: string, outcome = 'CONFIRMED'): Promise<string> => {
      const body = t.success(await t.mock('POST', '/_mock/deposits', { customerId, currency, amount: 1, outcome }), 201)
      if (typeof body.id !== 'string') t.stop('POST /_mock/deposits: no transaction id')
      return body.id as string
    }
    /** Waits until the mock's delivery log holds no pending delivery for `sub`'s account: every retry has been made. */
    const settled = async (t: CheckContext, sub: Subscription, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const res = await t.mock('GET', `/_mock/webhooks/deliveries?account=${sub.client.target.account}&limit=100`)
        const deliveries = isRecord(res.json) && Array.isArray(res.json.deliveries) ? res.json.deliveries : undefined
        if (deliveries === undefined) t.stop(`GET /_mock/webhooks/deliveries answered ${res.status}`)
        if (!deliveries.some((d) => isRecord(d) && d.status === 'pending')) return
        if (Date.now() > deadline) t.stop(`the delivery log still has pending deliveries for ${sub.path} after ${timeoutMs} ms`)
        await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      }
    }

    /** Every webhook of a transaction to `sub`, once the delivery log says none is still due. */
    const arrived = async (t: CheckContext, sub: Subscription, transactionId: string, retriesMs = 0): Promise<Received[]> => {
      await settled(t, sub, ARRIVAL_MS + retriesMs)
      const all = t.need(receiver, 'the receiver').received(sub.path)
      const got = ofTransaction(all, transactionId)
      if (got.length > 0) return got
      const carried = [...new Set(all.map((r) => JSON.stringify(eventOf(r)?.transactionId)))].slice(0, 4).join(', ')
      return t.stop(`webhooks to ${sub.path}: none has $.data.transactionId "${transactionId}" (the transaction); ${all.length} arrived${all.length > 0 ? `, with $.data.transactionId ${carried}` : ''}`)
    }

    let main: Subscription | undefined
    const flows: { unblocked?: string, blocked?: string, declined?: string } = {}
    let mainReceived: Received[] = []

    try {
      await s.depositCheck('subscribe the suite\'s receiver on an account of its own: the answer carries publicKey and secretKey', async (t) => {
        receiver = await startReceiver()
        main = await subscribe(t, await account(t), '/main')
      })

      await s.depositCheck(`a confirmed deposit sends ${CONFIRMED_FLOW.join(', ')}, in order, for its transaction`, async (t) => {
        const sub = t.need(main, 'the subscription')
        const unblocked = await customer(t, sub.client, false)
        const blocked = await customer(t, sub.client, true)
        flows.unblocked = await deposit(t, unblocked, CURRENCY)
        flows.blocked = await deposit(t, blocked, CURRENCY)
        const got = await arrived(t, sub, flows.unblocked)
        t.equal('the event types of one deposit', got.filter((r) => r.status === 200).map((r) => eventOf(r)?.eventType), CONFIRMED_FLOW)
        for (const r of got) {
          const data = eventOf(r)?.data ?? {}
          t.equal(`${describe(r)}: $.data.customerId`, data.customerId, unblocked)
          t.equal(`${describe(r)}: $.data.currency`, data.currency, CURRENCY)
          t.equal(`${describe(r)}: $.data.amount`, data.amount, 1)
          t.equal(`${describe(r)}: $.requestId (the subscription's)`, isRecord(r.json) ? r.json.requestId : undefined, sub.requestId)
        }
        const ids = got.map((r) => eventOf(r)?.id ?? 0)
        t.ok(ids.every((id, i) => i === 0 || id > (ids[i - 1] as number)), `webhook ids: expected increasing numbers, got ${JSON.stringify(ids)}`)
      })

      await s.depositCheck(`a declined deposit sends ${DECLINED_FLOW.join(', ')}`, async (t) => {
        const sub = t.need(main, 'the subscription')
        const customerId = await customer(t, sub.client, false)
        flows.declined = await deposit(t, customerId, DECLINE_CURRENCY, 'DECLINED')
        const got = await arrived(t, sub, flows.declined)
        t.equal('the event types of a declined deposit', got.map((r) => eventOf(r)?.eventType), DECLINED_FLOW)
        mainReceived = t.need(receiver, 'the receiver').received(sub.path)
      })

      await s.depositCheck('every webhook\'s Sign is the HMAC-SHA512 of its exact bytes with the subscription\'s secretKey, and Key is its publicKey', async (t) => {
        const sub = t.need(main, 'the subscription')
        if (mainReceived.length === 0) t.skip('no webhook arrived')
        for (const r of mainReceived) {
          t.ok(r.sign === sign(r.body, sub.secretKey), `${describe(r)}: Sign: expected the HMAC-SHA512 of the body with the subscription's secretKey, got ${r.sign === undefined ? 'no Sign header' : 'another value'}`)
          t.ok(r.key === sub.publicKey, `${describe(r)}: Key: expected the subscription's publicKey, got ${r.key === undefined ? 'no Key header' : r.key === sub.secretKey ? 'its secretKey' : 'another value'}`)
        }
      })

      await s.depositCheck('no webhook\'s Sign verifies with the subscription\'s publicKey', async (t) => {
        const sub = t.need(main, 'the subscription')
        if (mainReceived.length === 0) t.skip('no webhook arrived')
        for (const r of mainReceived) t.ok(r.sign !== sign(r.body, sub.publicKey), `${describe(r)}: Sign: it is made with the publicKey, which anyone who sees a delivery's Key header has`)
      })

      await s.depositCheck('every webhook has the documented envelope and data fields, by name and type', async (t) => {
        if (mainReceived.length === 0) t.skip('no webhook arrived')
        for (const r of mainReceived) {
          const where = describe(r)
          if (!isRecord(r.json)) {
            t.schemaDifference(`${where}: expected a JSON object, got ${JSON.stringify(r.body.slice(0, 60))}`)
            continue
          }
          t.ok(r.contentType?.split(';')[0]?.trim().toLowerCase() === 'application/json', `${where}: Content-Type: expected application/json, got ${r.contentType ?? 'none'}`)
          t.component('WebhookEvent', r.json, where)
          const event = eventOf(r)
          const documented = event?.eventType === 'CUSTOMER_PURSE_EXPIRED' ? EXPIRED_EVENT_DATA : TRANSACTION_EVENT_DATA
          for (const [field, type] of Object.entries(documented)) {
            const value = event?.data[field]
            const actual: string = value === null ? 'null' : typeof value
            if (value === undefined) t.schemaDifference(`${where}: $.data.${field}: missing (documented)`)
            else if (actual !== type) t.schemaDifference(`${where}: $.data.${field}: expected ${type}, got ${actual}`)
          }
        }
      })

      await s.depositCheck('every webhook\'s createdDate is written as the docs\' example: no zone, the fraction without trailing zeros', async (t) => {
        if (mainReceived.length === 0) t.skip('no webhook arrived')
        for (const r of mainReceived) {
          const created = isRecord(r.json) ? r.json.createdDate : undefined
          t.ok(typeof created === 'string' && WEBHOOK_CREATED_DATE.test(created), `${describe(r)}: $.createdDate: expected a LocalDateTime like 2025-10-30T14:08:39.96068, got ${JSON.stringify(created)}`)
        }
      })

      await s.depositCheck('the blocked flag: customerBlocked is true on a blocked customer\'s deposit, false on another\'s', async (t) => {
        const blocked = t.need(flows.blocked, 'the blocked customer\'s deposit')
        const unblocked = t.need(flows.unblocked, 'the unblocked customer\'s deposit')
        for (const [transactionId, expected] of [[blocked, true], [unblocked, false]] as const) {
          const got = ofTransaction(mainReceived, transactionId)
          if (got.length === 0) t.stop(`no webhook for transaction ${transactionId}`)
          for (const r of got) t.equal(`${describe(r)}: $.data.customerBlocked`, eventOf(r)?.data.customerBlocked, expected)
        }
      })

      await s.depositCheck(`only 200 completes a delivery: a webhook answered ${NOT_200.join(' then ')} is sent again`, async (t) => {
        const scale = s.target.retryScale ?? t.skip('the target\'s WEBHOOK_RETRY_SCALE is not known: give --retry-scale')
        const waitMs = (DOCUMENTED_RETRY_SECONDS[0] as number + (DOCUMENTED_RETRY_SECONDS[1] as number)) * 1000 * scale
        if (waitMs > budgetMs) t.skip(`at WEBHOOK_RETRY_SCALE=${scale} its two retries take ${waitMs / 1000} s, over the ${budgetMs / 1000} s budget (--retry-budget-ms)`)
        const r = t.need(receiver, 'the receiver')
        r.script('/only-200', (request, earlier) => {
          const id = eventOf({ ...request, status: 0 })?.id
          const attempt = earlier.filter((e) => eventOf(e)?.id === id).length
          return NOT_200[attempt] ?? 200
        })
        const sub = await subscribe(t, await account(t), '/only-200')
        const transactionId = await deposit(t, await customer(t, sub.client, false), CURRENCY)
        const got = await arrived(t, sub, transactionId, waitMs * 2)
        const first = got.filter((x) => eventOf(x)?.eventType === CONFIRMED_FLOW[0])
        t.equal(`${CONFIRMED_FLOW[0]}: the answers it got, in order`, first.map((x) => x.status), [...NOT_200, 200])
      })

      await s.depositCheck(`the retry ladder: the first ${LADDER_INTERVALS} intervals are ${DOCUMENTED_RETRY_SECONDS.slice(0, LADDER_INTERVALS).join(', ')} s, at the target's WEBHOOK_RETRY_SCALE`, async (t) => {
        const scale = s.target.retryScale ?? t.skip('the target\'s WEBHOOK_RETRY_SCALE is not known: give --retry-scale')
        const expected = ladderMs(scale)
        const waitMs = expected.reduce((a, b) => a + b, 0)
        if (waitMs > budgetMs) t.skip(`at WEBHOOK_RETRY_SCALE=${scale} the ladder takes ${waitMs / 1000} s, over the ${budgetMs / 1000} s budget (--retry-budget-ms)`)
        const r = t.need(receiver, 'the receiver')
        // The arrival is compared with the plan only on this machine's clock.
        const local = /^https?:\/\/(127\.|localhost[:/]|\[::1\])/.test(s.client.target.baseUrl)
        const client = await account(t)
        // On each retry's arrival, before answering: the delivery log's plan for this attempt.
        const planned: Array<{ delay: number, early: number } | string> = []
        r.script('/ladder', async (request, earlier) => {
          const event = eventOf({ ...request, status: 0 })
          if (event === undefined || event.eventType !== CONFIRMED_FLOW[0]) return 200
          const attempt = earlier.filter((e) => eventOf(e)?.id === event.id).length + 1
          if (attempt > 1) planned.push(await plannedDelay(t, client.target.account, event.id, attempt, request.at))
          return attempt <= LADDER_INTERVALS ? 500 : 200
        })
        const sub = await subscribe(t, client, '/ladder')
        const transactionId = await deposit(t, await customer(t, sub.client, false), CURRENCY)
        await arrived(t, sub, transactionId, waitMs * 2)
        planned.forEach((p, i) => {
          const want = expected[i] as number
          if (typeof p === 'string') return t.ok(false, p)
          const tolerance = 5 + want * 0.02
          t.ok(Math.abs(p.delay - want) <= tolerance, `retry ${i + 1}: expected ${want} ms after the failed attempt (${DOCUMENTED_RETRY_SECONDS[i] ?? '?'} s × ${scale}), the delivery log plans ${p.delay} ms`)
          if (local) t.ok(p.early <= 5, `retry ${i + 1}: arrived ${p.early} ms before the delivery log planned it`)
        })
        t.equal('retries measured', planned.length, LADDER_INTERVALS)
      })
    } finally {
      for (const sub of subscriptions) {
        await sub.client.api({ path: Path.deleteWebhook, method: 'DELETE', payload: { requestId: sub.requestId } }).catch(() => {})
      }
      await receiver?.close()
    }
  }
}

/** From the delivery log, the delay the target planned before `attempt`, and how early the attempt came (ms). */
async function plannedDelay (t: CheckContext, account: string, eventId: number, attempt: number, arrivedAt: number): Promise<{ delay: number, early: number } | string> {
  const res = await t.mock('GET', `/_mock/webhooks/deliveries?account=${account}&limit=20`)
  const deliveries = isRecord(res.json) && Array.isArray(res.json.deliveries) ? res.json.deliveries : []
  const delivery = deliveries.find((d) => isRecord(d) && d.eventId === eventId)
  if (!isRecord(delivery) || !Array.isArray(delivery.attempts) || typeof delivery.nextAttemptAt !== 'string') {
    return `retry ${attempt - 1}: GET /_mock/webhooks/deliveries (${res.status}) shows no planned attempt for event ${eventId}`
  }
  const previous = delivery.attempts.find((a) => isRecord(a) && a.number === attempt - 1)
  if (!isRecord(previous) || typeof previous.startedAt !== 'string' || typeof previous.durationMs !== 'number') {
    return `retry ${attempt - 1}: the delivery log has no attempt ${attempt - 1} for event ${eventId}`
  }
  const planned = Date.parse(delivery.nextAttemptAt)
  return { delay: planned - (Date.parse(previous.startedAt) + previous.durationMs), early: planned - arrivedAt }
}
