/** Where a subcommand writes, what environment it sees, and (in tests) when to stop following. */
export interface CliIo {
  stdout: { write: (text: string) => unknown }
  stderr: { write: (text: string) => unknown }
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
}
