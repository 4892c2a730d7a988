import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/**
 * A TCP forwarder on 127.0.0.1:0 for a server whose port is known only after it starts (a child
 * process listening on port 0): connections wait until `to(port)`, then are piped through. It
 * stands in for reserving a free port, closing it and hoping nobody takes it before the child.
 */
export async function startForwarder (t: Teardown) {
  let target: number | undefined
  const waiting: Socket[] = []
  const sockets = new Set<Socket>()
  const pipe = (client: Socket, port: number) => {
    const upstream = createConnection({ host: '127.0.0.1', port })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  }
  const server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    if (target === undefined) waiting.push(client)
    else pipe(client, target)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return {
    port: (server.address() as AddressInfo).port,
    /** Sends every connection, waiting ones first, to this port. */
    to (port: number): void {
      target = port
      for (const client of waiting.splice(0)) pipe(client, port)
    }
  }
}
