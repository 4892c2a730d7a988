import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the receiver got. */
export interface Received {
  /** The path it was sent to: which subscription. */
  path: string
  key: string | undefined
  sign: string | undefined
  contentType: string | undefined
  /** The exact bytes, as text. */
  body: string
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown
  /** Milliseconds since the epoch when it arrived. */
  at: number
  /** The status the receiver answered with. */
  status: number
}

/** Decides the answer to one request: its status, after whatever the script awaits. */
export type Script = (received: Omit<Received, 'status'>, earlier: readonly Received[]) => number | Promise<number>

/**
 * The suite's own webhook receiver: a node:http server on a free port that records every
 * request with its exact bytes and answers what the path's script says (200 by default).
 */
export async function startReceiver (host = '127.0.0.1') {
  const received: Received[] = []
  const scripts = new Map<string, Script>()

  async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    let json: unknown
    try {
      json = JSON.parse(body)
    } catch {
      json = undefined
    }
    const header = (name: string) => {
      const value = req.headers[name]
      return Array.isArray(value) ? value.join(', ') : value
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const request = { path, key: header('key'), sign: header('sign'), contentType: header('content-type'), body, json, at: Date.now() }
    const script = scripts.get(path)
    let status = 200
    try {
      status = script === undefined ? 200 : await script(request, received.filter((r) => r.path === path))
    } catch {
      status = 500
    }
    received.push({ ...request, status })
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'OK' : '')
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => { res.writeHead(500).end() })
  })
  server.listen(0, host)
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    url: (path: string) => `http://${host}:${port}${path}`,
    /** What the receiver answers on `path`. */
    script (path: string, script: Script): void {
      scripts.set(path, script)
    },
    received: (path: string): Received[] => received.filter((r) => r.path === path),
    async close (): Promise<void> {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>
