import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { CliIo } from './io.js'
import { readServerSentEvents } from '../live/sse-reader.js'

export type { CliIo }

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
  return parseCommandLine(argv, options, false).flags
}

/** Parses the words of a subcommand that takes some (`snapshot save <name>`) and its flags, strictly. */
export function parseCommandLine (argv: string[], options: ParseArgsConfig['options'], allowPositionals = true): { flags: Flags, words: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...CONNECTION_OPTIONS, ...options }, strict: true, allowPositionals })
    return { flags: values, words: positionals }
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

async function readText (res: IncomingMessage): Promise<string> {
  let text = ''
  res.setEncoding('utf8')
  for await (const chunk of res) text += chunk as string
  return text
}

/**
 * A client of the mock's /_mock API that turns every failure into a message a person can act on.
 * Each request has a connection of its own, closed after it (no pool): a command leaves nothing open.
 */
export function mockClient (flags: Flags, env: NodeJS.ProcessEnv) {
  const base = (text(flags, 'url') ?? DEFAULT_URL).replace(/\/+$/, '')
  const token = text(flags, 'admin-token') ?? env.MOCK_ADMIN_TOKEN
  if (!/^https?:\/\/[^/]+/.test(base)) throw new CliError(`--url must be an http(s) URL, got ${JSON.stringify(base)}`)
  const authorization: Record<string, string> = token === undefined || token === '' ? {} : { authorization: `Bearer ${token}` }

  function open (method: string, path: string, body?: string, signal?: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const url = new URL(`${base}${path}`)
      const headers = body === undefined ? authorization : { ...authorization, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, agent: false, signal }, resolve)
      request.on('error', (err: NodeJS.ErrnoException) => {
        reject(err.name === 'AbortError' ? err : new CliError(`cannot reach the mock at ${base}: ${err.code ?? err.message} (is it running? point --url at it)`))
      })
      request.end(body)
    })
  }

  async function send (method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<IncomingMessage> {
    const res = await open(method, path, body === undefined ? undefined : JSON.stringify(body), signal)
    const status = res.statusCode ?? 0
    if (status === 401) {
      res.resume()
      throw new CliError(`the mock at ${base} wants its admin token: pass --admin-token (or set MOCK_ADMIN_TOKEN)${token === undefined ? '' : '; the one given was refused'}`)
    }
    if (status < 200 || status >= 300) {
      let error: ErrorBody = {}
      try {
        error = JSON.parse(await readText(res)) as ErrorBody
      } catch {}
      throw new CliError(`the mock refused ${method} ${path}: ${error.errorCode ?? status} ${error.message ?? res.statusMessage ?? ''}`)
    }
    return res
  }

  return {
    url: base,
    get: async <T>(path: string): Promise<T> => JSON.parse(await readText(await send('GET', path))) as T,
    post: async <T>(path: string, body: unknown): Promise<T> => JSON.parse(await readText(await send('POST', path, body))) as T,
    delete: async <T>(path: string): Promise<T> => JSON.parse(await readText(await send('DELETE', path))) as T,
    /** GET /_mock/events: resolves once connected, with the messages as they come, until `signal` aborts. */
    async events (signal?: AbortSignal): Promise<AsyncGenerator<{ type: string, data: any }>> {
      const res = await send('GET', '/_mock/events', undefined, signal)
      return (async function * () {
        try {
          for await (const message of readServerSentEvents(res)) yield { type: message.event, data: JSON.parse(message.data) }
        } catch (err) {
          if (signal?.aborted !== true) throw err
        }
      })()
    }
  }
}

export type MockClient = ReturnType<typeof mockClient>
