import type { WebhookDelivery } from '../index.js'
import { attemptLine } from './event-lines.js'
import { CliError, CONNECTION_USAGE, mockClient, parseFlags, text, type CliIo } from './mock-client.js'

export const USAGE = [
  'Usage: calypso-mock deposit --customer <id> --currency <code> --amount <n> [options]',
  '',
  'Fakes a deposit on a running mock (POST /_mock/deposits), prints the transaction, then each',
  'webhook attempt of it as it happens, until every delivery is settled or --wait-ms has passed.',
  '',
  '  --customer <id>       The customer whose purse receives it',
  '  --currency <code>     e.g. USDT_TRX, BTC, ETH',
  '  --amount <n>          A positive amount',
  '  --outcome <o>         CONFIRMED (default) or DECLINED',
  '  --stop-at <state>     Pause at MEM_POOL_FOUND, PENDING_COMPLIANCE_CHECK or CONFIRMED',
  '  --skip-mem-pool-found Send no CUSTOMER_PURSE_MEM_POOL_FOUND (Calypso does not guarantee it)',
  '  --wait-ms <ms>        How long to wait for the webhooks (default 10000)',
  ...CONNECTION_USAGE,
  ''
].join('\n')

interface Transaction { id: string, amount: number, currency: string, customerId: string, transactionState: string, complianceState: string, translationToAccountCompleted: boolean }

const SETTLED = new Set(['delivered', 'failed', 'cancelled'])

export async function deposit (argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, {
    customer: { type: 'string' },
    currency: { type: 'string' },
    amount: { type: 'string' },
    outcome: { type: 'string' },
    'stop-at': { type: 'string' },
    'skip-mem-pool-found': { type: 'boolean' },
    'wait-ms': { type: 'string' }
  })
  if (flags.help === true) {
    io.stdout.write(USAGE)
    return 0
  }
  const [customerId, currency, amountText] = ['customer', 'currency', 'amount'].map((name) => {
    const value = text(flags, name)
    if (value === undefined) throw new CliError(`--${name} is required`)
    return value
  })
  const outcome = text(flags, 'outcome')
  const stopAt = text(flags, 'stop-at')
  const waitMs = Number(text(flags, 'wait-ms') ?? 10_000)
  if (!Number.isInteger(waitMs) || waitMs < 0) throw new CliError('--wait-ms must be a whole number of milliseconds')
  const client = mockClient(flags, io.env)
  const stop = new AbortController()
  io.signal?.addEventListener('abort', () => stop.abort())
  // Listen first: no attempt can happen before the stream is open.
  const events = await client.events(stop.signal)
  try {
    const amount = Number(amountText)
    const tx = await client.post<Transaction>('/_mock/deposits', {
      customerId,
      currency,
      // Sent as typed when it is no number, so the mock's own message says what is wrong.
      amount: amountText !== '' && Number.isFinite(amount) ? amount : amountText,
      ...(outcome === undefined ? {} : { outcome }),
      ...(stopAt === undefined ? {} : { stopAt }),
      ...(flags['skip-mem-pool-found'] === true ? { skipMemPoolFound: true } : {})
    })
    io.stdout.write(`transaction ${tx.id}: ${tx.amount} ${tx.currency} to customer ${tx.customerId}, ${tx.transactionState} (compliance ${tx.complianceState})${tx.translationToAccountCompleted ? ', credited' : ''}\n`)

    const { deliveries } = await client.get<{ deliveries: WebhookDelivery[] }>(`/_mock/webhooks/deliveries?customerId=${tx.customerId}&limit=1000`)
    const status = new Map<number, string>()
    const printed = new Set<string>()
    const show = (delivery: WebhookDelivery): void => {
      status.set(delivery.id, delivery.status)
      for (const attempt of delivery.attempts) {
        const key = `${delivery.id}:${attempt.number}`
        if (printed.has(key)) continue
        printed.add(key)
        io.stdout.write(`${attemptLine(delivery, attempt.number)}\n`)
      }
    }
    for (const delivery of deliveries.filter((d) => d.transactionId === tx.id).reverse()) show(delivery)
    if (status.size === 0) {
      io.stdout.write('no webhook subscription receives these events: nothing is delivered (set WEBHOOK_URL, or subscribe through the API)\n')
      return 0
    }
    const settled = () => [...status.values()].every((s) => SETTLED.has(s))
    const timer = setTimeout(() => stop.abort(), waitMs)
    try {
      for await (const message of settled() ? [] : events) {
        if (message.type === 'delivery' && message.data.delivery.transactionId === tx.id) show(message.data.delivery as WebhookDelivery)
        if (settled()) break
      }
    } finally {
      clearTimeout(timer)
    }
    const pending = [...status.values()].filter((s) => !SETTLED.has(s)).length
    if (pending > 0) io.stdout.write(`${pending} delivery(ies) still pending after ${waitMs} ms; they are retried on Calypso's schedule (see /_mock/dashboard)\n`)
    return 0
  } finally {
    stop.abort()
    await events.return(undefined)
  }
}
