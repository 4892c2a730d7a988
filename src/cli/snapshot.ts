import type { Snapshot } from '../testing/contract-types.js'
import { CONNECTION_USAGE, CliError, mockClient, parseCommandLine, text, type CliIo } from './mock-client.js'

export const USAGE = [
  'Usage: calypso-mock snapshot <save|restore|delete> <name> [options]',
  '       calypso-mock snapshot list [options]',
  '',
  'Saves one account\'s data under a name and puts it back (/_mock/snapshots): seed once,',
  'then restore before each test.',
  '',
  '  --account <0x...>     The account (default: the mock\'s default account)',
  '  --replace             save: overwrite a snapshot of the same name',
  '  --json                The JSON the mock answers, as it is',
  ...CONNECTION_USAGE,
  ''
].join('\n')

const ACTIONS = ['save', 'restore', 'delete', 'list'] as const
type Action = (typeof ACTIONS)[number]

function describe (s: Snapshot): string {
  return `${s.name}  ${s.customers} customer${s.customers === 1 ? '' : 's'}, ${s.transactions} transaction${s.transactions === 1 ? '' : 's'}, ${s.deliveries} deliver${s.deliveries === 1 ? 'y' : 'ies'}  saved ${s.createdDate}`
}

export async function snapshot (argv: string[], io: CliIo): Promise<number> {
  const { flags, words } = parseCommandLine(argv, { account: { type: 'string' }, replace: { type: 'boolean' }, json: { type: 'boolean' } })
  if (flags.help === true) {
    io.stdout.write(USAGE)
    return 0
  }
  const [action, name, ...extra] = words as [string | undefined, string | undefined, ...string[]]
  if (action === undefined || !(ACTIONS as readonly string[]).includes(action)) {
    throw new CliError(`the first word must be one of ${ACTIONS.join(', ')}${action === undefined ? '' : `, got ${JSON.stringify(action)}`} (--help shows how)`)
  }
  const wantsName = action !== 'list'
  if (wantsName && name === undefined) throw new CliError(`${action} needs the snapshot's name`)
  const unexpected = wantsName ? extra : [name, ...extra].filter((w) => w !== undefined)
  if (unexpected.length > 0) throw new CliError(`unexpected ${JSON.stringify(unexpected[0])}`)
  if (flags.replace === true && action !== 'save') throw new CliError('--replace goes with save')

  const client = mockClient(flags, io.env)
  const account = text(flags, 'account')
  const query = account === undefined ? '' : `?${new URLSearchParams({ account }).toString()}`
  const named = `/_mock/snapshots/${encodeURIComponent(name ?? '')}`
  const print = (answer: unknown, line: string) => io.stdout.write(`${flags.json === true ? JSON.stringify(answer, null, 2) : line}\n`)
  switch (action as Action) {
    case 'save': {
      const saved = await client.post<Snapshot>('/_mock/snapshots', { name, ...(account === undefined ? {} : { account }), ...(flags.replace === true ? { replace: true } : {}) })
      print(saved, `saved ${describe(saved)}`)
      break
    }
    case 'restore': {
      const restored = await client.post<{ restored: string, account: string }>(`${named}/restore`, account === undefined ? {} : { account })
      print(restored, `restored ${restored.restored} into account ${restored.account}`)
      break
    }
    case 'delete': {
      const deleted = await client.delete<{ deleted: string, account: string }>(`${named}${query}`)
      print(deleted, `deleted ${deleted.deleted} of account ${deleted.account}`)
      break
    }
    case 'list': {
      const listed = await client.get<{ snapshots: Snapshot[] }>(`/_mock/snapshots${query}`)
      print(listed, listed.snapshots.length === 0 ? 'no snapshots' : listed.snapshots.map(describe).join('\n'))
      break
    }
  }
  return 0
}
