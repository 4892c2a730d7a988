import type { JournalEntry, WebhookDelivery } from '../index.js'
import { attemptLine, isRefused, refusedLine } from './event-lines.js'
import { CliError, CONNECTION_USAGE, mockClient, parseFlags, text, type CliIo } from './mock-client.js'

export const USAGE = [
  'Usage: calypso-mock events [--follow] [options]',
  '',
  'One line per webhook delivery attempt (event type, customer, result, duration) and per refused',
  'API call (path, errorCode, the check that refused it). Without --follow: the latest ones, then',
  'exit. With --follow: as they happen (GET /_mock/events), until interrupted.',
  '',
  '  --follow, -f          Keep printing as things happen',
  '  --limit <n>           How many of the latest to print first (default 20)',
  ...CONNECTION_USAGE,
  ''
].join('\n')

function latestLines (deliveries: WebhookDelivery[], requests: JournalEntry[], limit: number): string[] {
  const lines = [
    ...deliveries.flatMap((d) => d.attempts.map((a) => ({ at: a.startedAt, line: attemptLine(d, a.number) }))),
    ...requests.filter(isRefused).map((r) => ({ at: r.time, line: refusedLine(r) }))
  ]
  return lines.sort((a, b) => a.at.localeCompare(b.at)).slice(-limit).map((l) => l.line)
}

export async function events (argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, { follow: { type: 'boolean', short: 'f' }, limit: { type: 'string' } })
  if (flags.help === true) {
    io.stdout.write(USAGE)
    return 0
  }
  const limit = Number(text(flags, 'limit') ?? 20)
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000) throw new CliError('--limit must be a whole number from 0 to 1000')
  const client = mockClient(flags, io.env)
  const stop = new AbortController()
  io.signal?.addEventListener('abort', () => stop.abort())
  // Connected before the history is read, so nothing falls between the two.
  const live = flags.follow === true ? await client.events(stop.signal) : undefined
  const [{ deliveries }, { requests }] = await Promise.all([
    client.get<{ deliveries: WebhookDelivery[] }>('/_mock/webhooks/deliveries?limit=1000'),
    client.get<{ requests: JournalEntry[] }>('/_mock/requests?limit=1000')
  ])
  for (const line of latestLines(deliveries, requests, limit)) io.stdout.write(`${line}\n`)
  if (live === undefined) return 0
  const seen = new Set(deliveries.flatMap((d) => d.attempts.map((a) => `${d.id}:${a.number}`)))
  const seenRequests = new Set(requests.map((r) => r.id))
  for await (const message of live) {
    if (message.type === 'delivery' && message.data.action === 'attempted') {
      const delivery = message.data.delivery as WebhookDelivery
      const last = delivery.attempts.at(-1)
      if (last === undefined || seen.has(`${delivery.id}:${last.number}`)) continue
      seen.add(`${delivery.id}:${last.number}`)
      io.stdout.write(`${attemptLine(delivery, last.number)}\n`)
    } else if (message.type === 'request') {
      const entry = message.data.entry as JournalEntry
      if (isRefused(entry) && !seenRequests.has(entry.id)) io.stdout.write(`${refusedLine(entry)}\n`)
    }
  }
  if (stop.signal.aborted) return 0
  throw new CliError(`the mock at ${client.url} closed the event stream (stopped or restarted)`)
}
