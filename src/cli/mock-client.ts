import { parseArgs, type ParseArgsConfig } from 'node:util'
import { readServerSentEvents } from '../live/sse-reader.js'

/** Where a subcommand writes, what environment it sees, and (in tests) when to stop following. */
export interface CliIo {
  stdout: { write: (text: string) => unknown }
  stderr: { write: (text: string) => unknown }
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
}

/** A subcommand's mistake or failure: printed as one line, the process exits 1. */
export class CliError extends Error {}

export const DEFAULT_URL = 'http://127.0.0.1:8080'

/** The options every subcommand takes: where the mock is and its admin token. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  'admin-token': { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const satisfies ParseArgsConfig['options']

export const CONNECTION_USAGE = [
  `  --url <url>           The running mock (default ${DEFAULT_URL})`,
  '  --admin-token <token> Its MOCK_ADMIN_TOKEN, when it has one (default: $MOCK_ADMIN_TOKEN)'
]

/** A subcommand's flags by name: the text of a string flag, true for a boolean one. */
export type Flags = Readonly<Record<string, string | boolean | undefined>>

/** Parses a subcommand's flags strictly; a mistake is a CliError that names the flag. */
export function parseFlags (argv: string[], options: ParseArgsConfig['options']): Flags {
  try {
    return parseArgs({ args: argv, options: { ...CONNECTION_OPTIONS, ...options }, strict: true, allowPositionals: false }).values
  } catch (err) {
    throw new CliError((err as Error).message.replace(/\. To specify an option argument.*$/s, ''))
  }
}

/** The value of a string flag. */
export function text (flags: Flags, name: string): string | undefined {
  const value = flags[name]
  return typeof value === 'string' ? value : undefined
}

interface ErrorBody { errorCode?: string, message?: string }

/** A client of the mock's /_mock API that turns every failure into a message a person can act on. */
export function mockClient (flags: Flags, env: NodeJS.ProcessEnv) {
  const base = (text(flags, 'url') ?? DEFAULT_URL).replace(/\/+$/, '')
  const token = text(flags, 'admin-token') ?? env.MOCK_ADMIN_TOKEN
  if (!/^https?:\/\/[^/]+/.test(base)) throw new CliError(`--url must be an http(s) URL, got ${JSON.stringify(base)}`)
  const headers: Record<string, string> = token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` }

  async function send (path: string, init: RequestInit = {}): Promise<Response> {
    let res: Response
    try {
      res = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } })
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err
      const cause = (err as { cause?: { code?: string, message?: string } }).cause
      throw new CliError(`cannot reach the mock at ${base}: ${cause?.code ?? cause?.message ?? (err as Error).message} (is it running? point --url at it)`)
    }
    if (res.status === 401) {
      throw new CliError(`the mock at ${base} wants its admin token: pass --admin-token (or set MOCK_ADMIN_TOKEN)${token === undefined ? '' : '; the one given was refused'}`)
    }
    if (!res.ok) {
      const body = await res.json().catch(() => ({})) as ErrorBody
      throw new CliError(`the mock refused ${init.method ?? 'GET'} ${path}: ${body.errorCode ?? res.status} ${body.message ?? res.statusText}`)
    }
    return res
  }

  return {
    url: base,
    get: async <T>(path: string): Promise<T> => (await send(path)).json() as Promise<T>,
    post: async <T>(path: string, body: unknown): Promise<T> =>
      (await send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<T>,
    /** GET /_mock/events: resolves once connected, with the messages as they come. */
    async events (signal?: AbortSignal): Promise<AsyncGenerator<{ type: string, data: any }>> {
      const res = await send('/_mock/events', { signal })
      const body = res.body
      if (body === null) throw new CliError('the mock sent an empty event stream')
      return (async function * () {
        try {
          for await (const message of readServerSentEvents(body)) yield { type: message.event, data: JSON.parse(message.data) }
        } catch (err) {
          if (signal?.aborted !== true) throw err
        }
      })()
    }
  }
}

export type MockClient = ReturnType<typeof mockClient>
