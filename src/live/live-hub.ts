import { PassThrough, type Readable } from 'node:stream'

/** How often an idle stream gets a comment line, so proxies and clients see it is alive. */
export const HEARTBEAT_MS = 15_000
/** A client that has this much unread is too slow to follow: its stream is closed. */
const MAX_UNREAD_BYTES = 1024 * 1024
/** The most clients served at once: each may hold MAX_UNREAD_BYTES, so 32 stalled ones hold 32 MiB at most. */
export const MAX_CLIENTS = 32
/** Clients reconnect after this long when the stream drops (the SSE `retry` field). */
const RETRY_MS = 1000

/**
 * The fan-out behind GET /_mock/events: each client is a stream of server-sent events; a message is
 * serialised once for all of them. Nothing is built while nobody listens.
 */
export function createLiveHub (heartbeatMs = HEARTBEAT_MS) {
  const clients = new Set<PassThrough>()
  let next = 1
  let heartbeat: NodeJS.Timeout | undefined

  function send (client: PassThrough, frame: string): void {
    if (client.writableLength > MAX_UNREAD_BYTES) {
      client.destroy()
      return
    }
    client.write(frame)
  }

  function leave (client: PassThrough): void {
    clients.delete(client)
    if (clients.size === 0 && heartbeat !== undefined) {
      clearInterval(heartbeat)
      heartbeat = undefined
    }
  }

  return {
    /** True while at least one client listens: producers skip building messages otherwise. */
    active: (): boolean => clients.size > 0,
    clients: (): number => clients.size,
    /** True when a new client would be one too many. */
    full: (): boolean => clients.size >= MAX_CLIENTS,
    /** A new client's stream; it leaves the hub when the stream closes (the client went away, or closeAll). */
    open (): Readable {
      const client = new PassThrough()
      clients.add(client)
      client.once('close', () => leave(client))
      heartbeat ??= setInterval(() => { for (const c of clients) send(c, ': keep-alive\n\n') }, heartbeatMs)
      client.write(`retry: ${RETRY_MS}\n\n`)
      send(client, `event: ready\ndata: ${JSON.stringify({ clients: clients.size })}\n\n`)
      return client
    },
    publish (type: string, data: unknown): void {
      if (clients.size === 0) return
      const frame = `id: ${next++}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`
      for (const client of clients) send(client, frame)
    },
    /** Ends every stream, so the server can close. */
    closeAll (): void {
      for (const client of clients) client.end()
    }
  }
}

export type LiveHub = ReturnType<typeof createLiveHub>
