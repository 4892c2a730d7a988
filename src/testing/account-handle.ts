import { sign } from '../auth/signature.js'
import type {
  AccountCredentials, AdvanceOptions, ApiAnswer, ApiPath, ApiPayload, DeliveriesQuery, DepositRequest, FaultSpec,
  JournalEntry, JournalQuery, MockClock, MockClockAdvance, MockFault, MockTransaction, MockWebhookFault, Purse, Snapshot,
  WebhookDelivery, WebhookFaultSpec
} from './contract-types.js'
import { answer, type MockClient } from './mock-http.js'
import { describeFailedDeliveries, NoMatchingWebhookError, type WebhookEvent, type WebhookMatch } from './webhook-event.js'
import type { WaitForWebhookOptions, WebhookWaits } from './webhook-waits.js'

/** A running mock, seen through one merchant account. */
export interface CalypsoMock {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string
  /** The API's base: `${url}/api/v1`. */
  apiUrl: string
  account: string
  apiKey: string
  apiSecret: string
  /** The secret that signs webhook deliveries. */
  webhookSecret: string
  /** A correctly signed POST to /api/v1/<path>; resolves with the JSON answer, rejects with a CalypsoError. */
  request: <P extends ApiPath>(path: P, payload?: ApiPayload<P>) => Promise<ApiAnswer<P>>
  /** Fakes an incoming deposit (POST /_mock/deposits); rejects with a CalypsoError. */
  deposit: (request: DepositRequest) => Promise<MockTransaction>
  /** Moves a paused deposit on (POST /_mock/transactions/{id}/advance): to the end, or to a later `stopAt`. */
  advance: (transactionId: string, options?: AdvanceOptions) => Promise<MockTransaction>
  /** Expires a purse now, with CUSTOMER_PURSE_EXPIRED (POST /_mock/purses/{id}/expire). */
  expirePurse: (purseId: string) => Promise<Purse>
  /** The next `times` calls to `path` signed by this account answer as told (POST /_mock/faults). */
  fault: (spec: FaultSpec) => Promise<MockFault>
  /** The next `times` deliveries of this account's events fail with `status` (500) and are retried (POST /_mock/webhooks/faults). */
  failWebhooks: (times: number, options?: { status?: number }) => Promise<MockWebhookFault>
  /**
   * Delivery chaos on this account's webhooks (POST /_mock/webhooks/faults): `duplicate`, `reorder`,
   * `delay`, `bad-signature`, `stale` or `fail`, for `times` uses or `untilCleared`.
   */
  webhookFault: (spec: WebhookFaultSpec) => Promise<MockWebhookFault>
  /** Clears this account's webhook faults; events a reorder fault holds are sent at once. */
  clearWebhookFaults: () => Promise<{ cleared: number, released: number }>
  /** This account's test clock (GET /_mock/clock). */
  clock: () => Promise<MockClock>
  /** Moves this account's clock `ms` on; resolves once everything that fell due on the way has fired. */
  advanceClock: (ms: number) => Promise<MockClockAdvance>
  /** Puts this account's clock back on the machine's. */
  resetClock: () => Promise<MockClock>
  /** The request journal (GET /_mock/requests): the server's last calls to /api, newest first. */
  requests: (query?: JournalQuery) => Promise<JournalEntry[]>
  /**
   * Resolves with the oldest event of this account that matches and that no earlier wait of this
   * handle returned, whether it arrived before the call or arrives within `timeout`.
   */
  waitForWebhook: (match: WebhookMatch, options?: WaitForWebhookOptions) => Promise<WebhookEvent>
  /** Every verified event of this account the built-in receiver kept (empty when webhooks go elsewhere). */
  webhooks: () => WebhookEvent[]
  /** This account's deliveries (GET /_mock/webhooks/deliveries), newest first. */
  deliveries: (query?: DeliveriesQuery) => Promise<WebhookDelivery[]>
  /** A new account on the same server, with its own keys, data, webhooks and waits. */
  createAccount: () => Promise<CalypsoMock>
  /** Empties the mock (POST /_mock/reset): everything for the first handle of a server of its own, else this account's data. */
  reset: () => Promise<void>
  /**
   * Saves this account's data under `name` (POST /_mock/snapshots); rejects while a delivery is
   * still pending, and for a name in use unless `replace` is true.
   */
  snapshot: (name: string, options?: { replace?: boolean }) => Promise<Snapshot>
  /**
   * Puts this account's data back as the snapshot saved it (POST /_mock/snapshots/{name}/restore).
   * Its open waits end with an error, its queued faults go, and later waits see only newer events.
   */
  restore: (name: string) => Promise<void>
  /** This account's snapshots, oldest first (GET /_mock/snapshots). */
  snapshots: () => Promise<Snapshot[]>
  deleteSnapshot: (name: string) => Promise<void>
  /** Stops the server when this handle started it; an account's handle ends its waits. */
  close: () => Promise<void>
  [Symbol.asyncDispose]: () => Promise<void>
}

export interface HandleParts {
  mock: MockClient
  credentials: AccountCredentials
  webhookSecret: string
  waits: WebhookWaits
  /** Whether the built-in receiver feeds the waits (else webhooks() is empty). */
  received: boolean
  /** Called after a wait is opened, for waits fed by polling. */
  afterWait?: () => void
  /** Whether this handle's reset empties the whole server. */
  resetsAll: boolean
  /** Extra work of reset (emptying the receiver). */
  onReset?: (lastEventId: number) => void
  createAccount: () => Promise<CalypsoMock>
  close: () => Promise<void>
}

export function accountHandle (parts: HandleParts): CalypsoMock {
  const { mock, credentials, waits } = parts
  const { account, apiKey, apiSecret } = credentials
  const apiUrl = `${mock.baseUrl}/api/v1`
  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= parts.close()
    return closed
  }
  return {
    url: mock.baseUrl,
    apiUrl,
    account,
    apiKey,
    apiSecret,
    webhookSecret: parts.webhookSecret,
    async request (path, payload) {
      const body = JSON.stringify({ account, timestamp: Date.now(), ...(payload === undefined ? {} : { payload }) })
      return answer(await fetch(`${apiUrl}/${path.replace(/^\//, '')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', Key: apiKey, Sign: sign(body, apiSecret) },
        body
      }))
    },
    deposit: (request) => mock.post('deposits', request),
    advance: (transactionId, options = {}) => mock.post(`transactions/${encodeURIComponent(transactionId)}/advance`, options),
    expirePurse: (purseId) => mock.post(`purses/${encodeURIComponent(purseId)}/expire`),
    fault: (spec) => mock.post('faults', { ...spec, account }),
    failWebhooks: (times, { status } = {}) => mock.post('webhooks/faults', { account, times, status }),
    webhookFault: (spec) => mock.post('webhooks/faults', { ...spec, account }),
    clearWebhookFaults: () => mock.delete('webhooks/faults', { account }),
    clock: () => mock.get('clock', { account }),
    advanceClock: (ms) => mock.post('clock/advance', { ms, account }),
    resetClock: () => mock.post('clock/reset', { account }),
    requests: async (query = {}) => (await mock.get<{ requests: JournalEntry[] }>('requests', query)).requests,
    async waitForWebhook (match, options) {
      const waiting = waits.wait(match, options)
      parts.afterWait?.()
      try {
        return await waiting
      } catch (err) {
        if (!(err instanceof NoMatchingWebhookError)) throw err
        // Why nothing arrived is often in the delivery log: a receiver that refused or failed every attempt.
        const recent = await mock.get<{ deliveries: WebhookDelivery[] }>('webhooks/deliveries', { account, limit: 100 }).catch(() => undefined)
        const failed = describeFailedDeliveries(recent?.deliveries ?? [])
        throw failed === '' ? err : new NoMatchingWebhookError(err.message + failed)
      }
    },
    webhooks: () => parts.received ? waits.events() : [],
    deliveries: async (query = {}) => (await mock.get<{ deliveries: WebhookDelivery[] }>('webhooks/deliveries', { account, ...query })).deliveries,
    createAccount: parts.createAccount,
    async reset () {
      const { lastEventId } = await mock.post<{ lastEventId: number }>('reset', parts.resetsAll ? {} : { account })
      waits.clear(lastEventId)
      parts.onReset?.(lastEventId)
    },
    snapshot: (name, options = {}) => mock.post('snapshots', { name, account, ...options }),
    async restore (name) {
      const { lastEventId } = await mock.post<{ lastEventId: number }>(`snapshots/${encodeURIComponent(name)}/restore`, { account })
      waits.fail(() => new Error(`the wait ended: account ${account} was restored from snapshot ${JSON.stringify(name)}`))
      waits.clear(lastEventId)
    },
    snapshots: async () => (await mock.get<{ snapshots: Snapshot[] }>('snapshots', { account })).snapshots,
    async deleteSnapshot (name) {
      await mock.delete(`snapshots/${encodeURIComponent(name)}`, { account })
    },
    close,
    [Symbol.asyncDispose]: close
  }
}
