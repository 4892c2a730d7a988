import { CONNECTION_USAGE, mockClient, parseFlags, text, type CliIo } from './mock-client.js'

export const USAGE = [
  'Usage: calypso-mock customers [options]',
  '',
  'Lists the customers a running mock holds, newest first (GET /_mock/customers).',
  '',
  '  --search <text>       An id, or a part of an email or externalId',
  '  --account <0x...>     Only this account\'s',
  '  --limit <n>           At most this many (default 50, up to 1000)',
  '  --json                The JSON the mock answers, as it is',
  ...CONNECTION_USAGE,
  ''
].join('\n')

interface StoredCustomer { id: string, email: string | null, externalId: string | null, blocked: boolean, account: string, createdDate: string }

function columns (rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')
}

export async function customers (argv: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(argv, { search: { type: 'string' }, account: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } })
  if (flags.help === true) {
    io.stdout.write(USAGE)
    return 0
  }
  const client = mockClient(flags, io.env)
  const search = text(flags, 'search')
  const account = text(flags, 'account')
  const query = new URLSearchParams({ limit: text(flags, 'limit') ?? '50' })
  if (search !== undefined) query.set('search', search)
  if (account !== undefined) query.set('account', account)
  const answer = await client.get<{ customers: StoredCustomer[] }>(`/_mock/customers?${query.toString()}`)
  if (flags.json === true) {
    io.stdout.write(`${JSON.stringify(answer, null, 2)}\n`)
    return 0
  }
  if (answer.customers.length === 0) {
    io.stdout.write(search === undefined ? 'no customers\n' : `no customer matches ${JSON.stringify(search)}\n`)
    return 0
  }
  const rows = [['ID', 'EMAIL', 'EXTERNAL ID', 'BLOCKED', 'ACCOUNT', 'CREATED'],
    ...answer.customers.map((c) => [c.id, c.email ?? '-', c.externalId ?? '-', c.blocked ? 'yes' : 'no', c.account, c.createdDate])]
  io.stdout.write(`${columns(rows)}\n`)
  if (answer.customers.length === Number(query.get('limit'))) io.stdout.write(`(the first ${answer.customers.length}; --limit shows more)\n`)
  return 0
}
