import t from 'tap'
import { runSubcommand, type SubcommandName } from '../../src/cli/subcommands.js'
import { createCustomer, deposit, serve, webhookConfig } from '../support/helper.js'
import { startReceiver } from '../support/webhook-receiver.js'

/** Runs a subcommand in this process, as `calypso-mock <name> ...` would, capturing what it prints. */
async function run (name: SubcommandName, argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runSubcommand(name, argv, {
    stdout: { write: (text: string) => { stdout += text } },
    stderr: { write: (text: string) => { stderr += text } },
    env: {},
    signal: undefined
  })
  return { code, stdout, stderr }
}

t.test('clock: read, advance (firing what falls due), reset; a bad duration is refused before any call', async (t) => {
  const receiver = await startReceiver(t)
  receiver.answer(() => 500)
  const { app, url } = await serve(t, { webhook: webhookConfig(receiver.url, { retryScale: 1 }) })
  await deposit(app, { customerId: (await createCustomer(app)).id, currency: 'BTC', amount: 1, stopAt: 'MEM_POOL_FOUND' })
  await receiver.waitFor((r) => r.length === 1)

  const read = await run('clock', ['--url', url])
  t.match(read.stdout, /^0x[0-9a-f]{40} {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}\(the machine's time\)\n$/)
  const advanced = await run('clock', ['--advance', '91h13m', '--url', url])
  t.equal(advanced.code, 0, advanced.stderr)
  t.match(advanced.stdout, /\(3d 19h 13m ahead of the machine\)\nadvanced 3d 19h 13m: 19 webhook attempts, 0 purses expired, 0 deposit steps\n$/)
  t.equal(receiver.received.length, 20)
  const reset = await run('clock', ['--reset', '--json', '--url', url])
  t.match(JSON.parse(reset.stdout), { offsetMs: 0 })

  t.same(await run('clock', ['--advance', '3 weeks', '--url', url]), { code: 1, stdout: '', stderr: 'calypso-mock clock: --advance takes whole numbers of ms, s, m, h or d (e.g. 34h, 91h13m), got "3 weeks"\n' })
  t.match((await run('clock', ['--advance', '0', '--url', url])).stderr, /the mock refused POST \/_mock\/clock\/advance: 001 /)
  t.match((await run('clock', ['--advance', '1h', '--reset'])).stderr, /give --advance or --reset, not both/)
})

t.test('chaos: inject each kind, list and clear; a mistake names itself', async (t) => {
  const { url } = await serve(t)
  const dup = await run('chaos', ['duplicate', '--delay', '5s', '--event-type', 'CUSTOMER_PURSE_MEM_POOL_FOUND', '--url', url])
  t.equal(dup.stdout, 'fault 1: duplicate, delay 5s, CUSTOMER_PURSE_MEM_POOL_FOUND, every account, 1 of 1 left\n')
  t.equal((await run('chaos', ['reorder', '--count', '3', '--until-cleared', '--url', url])).stdout, 'fault 2: reorder, count 3, every account, until cleared\n')
  t.equal((await run('chaos', ['fail', '--status', '503', '--times', '2', '--url', url])).stdout, 'fault 3: fail, status 503, every account, 2 of 2 left\n')
  t.equal((await run('chaos', ['--list', '--url', url])).stdout.split('\n').length, 4)
  t.match((await run('chaos', ['shuffle', '--url', url])).stderr, /give a kind \(fail, duplicate, reorder, delay, bad-signature, stale\), --list or --clear; got "shuffle"/)
  t.match((await run('chaos', ['delay', '--url', url])).stderr, /001 .*a delay fault needs delayMs/)
  t.match((await run('chaos', ['reorder', '--count', 'x', '--url', url])).stderr, /--count takes a whole number/)
  t.equal((await run('chaos', ['--clear', '--url', url])).stdout, 'cleared 3 webhook faults; released 0 held events\n')
  t.equal((await run('chaos', ['--list', '--url', url])).stdout, 'no webhook faults\n')
})
