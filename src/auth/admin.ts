import { timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import type { FastifyRequest } from 'fastify'

/** Whether `address` (an IPv4, IPv6 or IPv4-mapped address) is this machine's loopback. */
export function isLoopbackAddress (address: string | undefined): boolean {
  if (address === undefined) return false
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/^::ffff:/i, '')
  if (isIP(bare) === 4) return bare.startsWith('127.')
  return bare === '::1'
}

/** Whether listening on HOST keeps the mock on this machine: a loopback address or `localhost`. */
export function isLoopbackHost (host: string): boolean {
  return host.toLowerCase() === 'localhost' || isLoopbackAddress(host)
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
export function hasAdminToken (request: FastifyRequest, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`)
  const given = Buffer.from(request.headers.authorization ?? '')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

/**
 * Who may see what only the operator should (the database path in /health). With
 * MOCK_ADMIN_TOKEN set: whoever sends it, from anywhere, and nobody else, not even on this machine.
 * Without it: a caller on this machine's loopback only, since the port may be reachable from elsewhere.
 */
export function isAdmin (request: FastifyRequest, token: string | undefined): boolean {
  return token === undefined ? isLoopbackAddress(request.socket.remoteAddress) : hasAdminToken(request, token)
}
