import { WEBHOOK_FAULT_KINDS, type WebhookFaultKind } from '../domain/model.js'
import type { MockWebhookFault } from '../testing/contract-types.js'
import { formatDuration, parseDuration } from './duration.js'
import { CliError, CONNECTION_USAGE, mockClient, parseFlags, text, type CliIo, type Flags } from './mock-client.js'

export const USAGE = [
  'Usage: calypso-mock chaos <kind> [options]     inject a webhook fault (POST /_mock/webhooks/faults)',
  '       calypso-mock chaos --list | --clear     list or clear the waiting ones',
  '',
  'Kinds (see docs/delivery-chaos.md):',
  '  duplicate       each matching event is sent twice, the copy --delay later',
  '  reorder         the next --count events are held, then sent in reverse',
  '  delay           each send waits --delay first (at most 60s)',
  '  bad-signature   Sign is made with a wrong secret; a receiver that refuses it is retried',
  '  stale           after an event is delivered, an older one of the same customer goes again',
  '  fail            attempts fail with --status (500) without being sent, and are retried',
  '',
  '  --account <0x...>     Only this account\'s deliveries (every account\'s when absent)',
  '  --event-type <type>   Only events of this type',
  '  --times <n>           For n uses (default 1)',
  '  --until-cleared       Until calypso-mock chaos --clear',
  '  --delay <duration>    1500 (ms), 30s, 15m, 2h',
  '  --count <n>           reorder: how many events are held',
  '  --status <code>       fail: the status recorded',
  '  --json                The JSON the mock answers, as it is',
  ...CONNECTION_USAGE,
  ''
].join('\n')

const OPTIONS = {
  list: { type: 'boolean' },
  clear: { type: 'boolean' },
  account: { type: 'string' },
  'event-type': { type: 'string' },
  times: { type: 'string' },
  'until-cleared': { type: 'boolean' },
  delay: { type: 'string' },
  count: { type: 'string' },
  status: { type: 'string' },
  json: { type: 'boolean' }
} as const

function integer (flags: Flags, name: string): number | undefined {
  const value = text(flags, name)
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new CliError(`--${name} takes a whole number, got ${JSON.stringify(value)}`)
  return Number(value)
}

function describe (f: MockWebhookFault): string {
  const what = [
    f.kind,
    f.delayMs === undefined ? '' : `delay ${formatDuration(f.delayMs)}`,
    f.count === undefined ? '' : `count ${f.count}`,
    f.status === undefined ? '' : `status ${f.status}`,
    f.eventType ?? '',
    f.account ?? 'every account',
    f.untilCleared ? 'until cleared' : `${f.remaining ?? 0} of ${f.times ?? 0} left`
  ].filter((part) => part !== '')
  return `fault ${f.id}: ${what.join(', ')}`
}

export async function chaos (argv: string[], io: CliIo): Promise<number> {
  const kind = argv[0] !== undefined && !argv[0].startsWith('-') ? argv[0] : undefined
  const flags = parseFlags(kind === undefined ? argv : argv.slice(1), OPTIONS)
  if (flags.help === true) {
    io.stdout.write(USAGE)
    return 0
  }
  const client = mockClient(flags, io.env)
  const account = text(flags, 'account')
  const print = (answer: unknown, line: string): number => {
    io.stdout.write(flags.json === true ? `${JSON.stringify(answer, null, 2)}\n` : `${line}\n`)
    return 0
  }
  if (kind === undefined && flags.list === true) {
    const answer = await client.get<{ faults: MockWebhookFault[] }>('/_mock/webhooks/faults')
    return print(answer, answer.faults.length === 0 ? 'no webhook faults' : answer.faults.map(describe).join('\n'))
  }
  if (kind === undefined && flags.clear === true) {
    const answer = await client.delete<{ cleared: number, released: number }>(`/_mock/webhooks/faults${account === undefined ? '' : `?account=${encodeURIComponent(account)}`}`)
    return print(answer, `cleared ${answer.cleared} webhook faults; released ${answer.released} held events`)
  }
  if (kind === undefined || !(WEBHOOK_FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new CliError(`give a kind (${WEBHOOK_FAULT_KINDS.join(', ')}), --list or --clear${kind === undefined ? '' : `; got ${JSON.stringify(kind)}`}`)
  }
  const delay = text(flags, 'delay')
  const body = {
    kind: kind as WebhookFaultKind,
    account,
    eventType: text(flags, 'event-type'),
    times: integer(flags, 'times'),
    untilCleared: flags['until-cleared'] === true ? true : undefined,
    delayMs: delay === undefined ? undefined : parseDuration(delay, '--delay'),
    count: integer(flags, 'count'),
    status: integer(flags, 'status')
  }
  const fault = await client.post<MockWebhookFault>('/_mock/webhooks/faults', body)
  return print(fault, describe(fault))
}
