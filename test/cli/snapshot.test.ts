import t from 'tap'
import { runSubcommand } from '../../src/cli/subcommands.js'
import { build, createCustomer } from '../support/helper.js'

async function run (argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runSubcommand('snapshot', argv, {
    stdout: { write: (text: string) => { stdout += text } },
    stderr: { write: (text: string) => { stderr += text } },
    env: {},
    signal: undefined
  })
  return { code, stdout, stderr }
}

t.test('snapshot save, list, restore and delete against a running mock', async (t) => {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const account = app.config.accounts[0]!.account
  const customer = await createCustomer(app)

  const saved = await run(['save', 'seeded', '--url', url])
  t.same([saved.code, saved.stderr], [0, ''])
  t.match(saved.stdout, /^saved seeded {2}1 customer, 0 transactions, 0 deliveries {2}saved \d{4}-\d\d-\d\dT/)
  t.match((await run(['save', 'seeded', '--url', url])).stderr, /^calypso-mock snapshot: the mock refused POST \/_mock\/snapshots: 001 .*exists already/)
  t.equal((await run(['save', 'seeded', '--replace', '--url', url])).code, 0)

  await createCustomer(app)
  t.equal(app.store.db.prepare('SELECT count(*) FROM customers').pluck().get(), 2)
  const restored = await run(['restore', 'seeded', '--url', url])
  t.same([restored.code, restored.stdout], [0, `restored seeded into account ${account}\n`])
  t.same(app.store.db.prepare('SELECT id FROM customers').pluck().all(), [customer.id])

  t.match((await run(['list', '--url', url])).stdout, /^seeded {2}1 customer/)
  t.same(JSON.parse((await run(['list', '--json', '--account', account, '--url', url])).stdout).snapshots.map((s: { name: string }) => s.name), ['seeded'])
  t.same((await run(['delete', 'seeded', '--url', url])).stdout, `deleted seeded of account ${account}\n`)
  t.same((await run(['list', '--url', url])).stdout, 'no snapshots\n')
  t.match((await run(['restore', 'seeded', '--url', url])).stderr, /004 .*no snapshot "seeded"/)
})

t.test('snapshot: mistakes in the words are named before anything is sent', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [[], /the first word must be one of save, restore, delete, list/],
    [['take', 'x'], /got "take"/],
    [['save'], /save needs the snapshot's name/],
    [['list', 'x'], /unexpected "x"/],
    [['save', 'a', 'b'], /unexpected "b"/],
    [['restore', 'a', '--replace'], /--replace goes with save/],
    [['save', 'a', '--bogus'], /Unknown option '--bogus'/]
  ]
  for (const [argv, message] of cases) {
    const { code, stderr } = await run([...argv, '--url', 'http://127.0.0.1:2'])
    t.equal(code, 1)
    t.match(stderr, message, argv.join(' '))
    t.notMatch(stderr, /cannot reach/, 'nothing was sent')
  }
  t.match((await run(['--help'])).stdout, /^Usage: calypso-mock snapshot <save\|restore\|delete> <name>/)
})
