/** Where a subcommand writes and what it reads of the environment; the process's own unless a test gives others. */
export interface CommandIo {
  stdout: { write: (text: string) => unknown }
  stderr: { write: (text: string) => unknown }
  env?: Record<string, string | undefined>
}

/** A subcommand of calypso-mock: its arguments in, its exit code out. */
export type Subcommand = (argv: string[], io: CommandIo) => Promise<number>
