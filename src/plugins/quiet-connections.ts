import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * Closes, when the app closes, the connections that carry no request: kept-alive ones between
 * requests, and ones opened without a request yet (a browser's preconnect). Node's own idle check
 * does not count the latter, and its header timeout starts only with a request's first byte, so
 * one such socket would hold `close()`, and a SIGTERM'd server, open indefinitely.
 */
export default fp(async function quietConnections (app: FastifyInstance) {
  const quiet = new Set<Socket>()
  let closing = false
  app.server.on('connection', (socket: Socket) => {
    if (closing) {
      socket.destroy()
      return
    }
    quiet.add(socket)
    socket.once('close', () => quiet.delete(socket))
  })
  app.server.on('request', (request, response) => {
    const socket = request.socket
    quiet.delete(socket)
    response.once('close', () => {
      if (!socket.destroyed && !closing) quiet.add(socket)
      else if (closing) socket.destroy()
    })
  })
  app.addHook('preClose', async () => {
    closing = true
    for (const socket of quiet) socket.destroy()
    quiet.clear()
  })
}, { name: 'quiet-connections' })
