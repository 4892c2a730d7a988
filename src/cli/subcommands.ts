import { CliError, type CliIo } from './mock-client.js'

/** `calypso-mock <name> ...`: commands against a running mock, each in its own module, loaded when run. */
export const SUBCOMMANDS = {
  deposit: { summary: 'Fake a deposit and print its webhooks as they are delivered', load: async () => (await import('./deposit.js')).deposit },
  events: { summary: 'Print webhook attempts and refused API calls (--follow: as they happen)', load: async () => (await import('./events.js')).events },
  clock: { summary: 'Read, advance or reset an account\'s test clock (an advance fires what falls due)', load: async () => (await import('./clock.js')).clock },
  chaos: { summary: 'Inject, list or clear webhook faults (duplicate, reorder, delay, bad-signature, stale, fail)', load: async () => (await import('./chaos.js')).chaos },
  customers: { summary: 'List the customers the mock holds', load: async () => (await import('./customers.js')).customers },
  snapshot: { summary: 'Save an account\'s data under a name, restore, list or delete it', load: async () => (await import('./snapshot.js')).snapshot },
  conformance: { summary: 'Check any Calypso base URL against the documented API, without moving funds', load: async () => (await import('./conformance.js')).conformanceCommand }
} satisfies Record<string, { summary: string, load: () => Promise<(argv: string[], io: CliIo) => Promise<number>> }>

export type SubcommandName = keyof typeof SUBCOMMANDS

export function isSubcommand (name: string | undefined): name is SubcommandName {
  return name !== undefined && Object.hasOwn(SUBCOMMANDS, name)
}

/** Runs a subcommand; resolves with the exit code, having printed a failure as one line. */
export async function runSubcommand (name: SubcommandName, argv: string[], io: CliIo): Promise<number> {
  try {
    return await (await SUBCOMMANDS[name].load())(argv, io)
  } catch (err) {
    if (!(err instanceof CliError)) throw err
    io.stderr.write(`calypso-mock ${name}: ${err.message}\n`)
    return 1
  }
}
