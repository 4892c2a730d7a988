import type { MockClock, MockClockAdvance } from '../testing/contract-types.js'
import { formatDuration, parseDuration } from './duration.js'
import { CliError, CONNECTION_USAGE, mockClient, parseFlags, text, type CliIo } from './mock-client.js'

export const USAGE = [
  'Usage: calypso-mock clock [options]',
  '',
  'Reads an account\'s test clock (GET /_mock/clock); --advance moves it on and fires, in time order,',
  'what falls due on the way (webhook retries, purse expiry, deposits that wait on time) before it',
  'answers; --reset puts it back on the machine\'s clock. Request timestamps stay on the machine\'s clock.',
  '',
  '  --advance <duration>  Move the clock on: 1500 (ms), 30s, 15m, 34h, 31d',
  '  --reset               Put the clock back',
  '  --account <0x...>     The account (default: the first configured one)',
  '  --json                The JSON the mock answers, as it is',
  ...CONNECTION_USAGE,
  ''
].join('\n')

export async function clock (argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, { advance: { type: 'string' }, reset: { type: 'boolean' }, account: { type: 'string' }, json: { type: 'boolean' } })
  if (flags.help === true) {
    io.stdout.write(USAGE)
    return 0
  }
  const advance = text(flags, 'advance')
  if (advance !== undefined && flags.reset === true) throw new CliError('give --advance or --reset, not both')
  const client = mockClient(flags, io.env)
  const account = text(flags, 'account')
  const advanced = advance === undefined
    ? undefined
    : await client.post<MockClockAdvance>('/_mock/clock/advance', { ms: parseDuration(advance, '--advance'), ...(account === undefined ? {} : { account }) })
  const answer: MockClock = advanced !== undefined
    ? advanced
    : flags.reset === true
      ? await client.post<MockClock>('/_mock/clock/reset', account === undefined ? {} : { account })
      : await client.get<MockClock>(`/_mock/clock${account === undefined ? '' : `?account=${encodeURIComponent(account)}`}`)
  if (flags.json === true) {
    io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`)
    return 0
  }
  io.stdout.write(`${answer.account}  ${answer.now}  (${answer.offsetMs === 0 ? 'the machine\'s time' : `${formatDuration(answer.offsetMs)} ahead of the machine`})\n`)
  if (advanced !== undefined) {
    const { depositSteps, pursesExpired, deliveriesSent } = advanced.fired
    io.stdout.write(`advanced ${formatDuration(advanced.advancedMs)}: ${deliveriesSent} webhook attempts, ${pursesExpired} purses expired, ${depositSteps} deposit steps\n`)
  }
  return 0
}
