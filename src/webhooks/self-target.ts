import { isIP } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'
import { hostAllowed, hostnameOf } from '../auth/border.js'

/** Where the mock answers: its ports, and the names it knows as its own (HOST, ALLOWED_HOSTS). */
export interface SelfAddress {
  ports: readonly number[]
  host: string
  allowedHosts: readonly string[]
}

/** `::ffff:7f00:1` (as the URL parser writes `[::ffff:127.0.0.1]`) as `127.0.0.1`; other addresses as they are. */
function unmapped (address: string): string {
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address)
  if (mapped === null) return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1')
  const [high, low] = [parseInt(mapped[1] as string, 16), parseInt(mapped[2] as string, 16)]
  return [high >> 8, high & 255, low >> 8, low & 255].join('.')
}

/** Why `address` is this machine: loopback, "any address" (which reaches it), or one of its interfaces. */
function machineAddress (address: string): string | undefined {
  const bare = unmapped(address.toLowerCase())
  if (isIP(bare) === 4 && bare.startsWith('127.')) return 'a loopback address'
  if (bare === '::1') return 'the IPv6 loopback address'
  if ((isIP(bare) === 4 && bare.startsWith('0.')) || bare === '::') return 'the "any" address, which reaches this machine'
  const own = Object.values(networkInterfaces()).flat().some((i) => i !== undefined && unmapped(i.address.toLowerCase()) === bare)
  return own ? 'an address of this machine' : undefined
}

/** Why the host name `name` is this machine: localhost, its host name, HOST or ALLOWED_HOSTS. */
function machineName (name: string, self: SelfAddress): string | undefined {
  if (name === 'localhost' || name.endsWith('.localhost')) return 'a loopback name'
  if (name === hostname().toLowerCase()) return 'this machine\'s host name'
  return hostAllowed(name, { host: self.host, allowedHosts: self.allowedHosts }) ? 'a name this mock answers to (HOST or ALLOWED_HOSTS)' : undefined
}

/**
 * Why a webhook url points at the mock itself, or undefined: its host is this machine (any
 * spelling the URL parser reads as one: 2130706433, 0x7f.1, [::ffff:127.0.0.1]) and its port is
 * one the mock listens on. A delivery there would be a request to the mock: to a /_mock route it
 * can make deliveries without end.
 */
export function selfTargetReason (url: string, self: SelfAddress): string | undefined {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return undefined
  }
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80))
  if (!self.ports.includes(port)) return undefined
  const host = hostnameOf(target.host)
  const why = isIP(host) !== 0 ? machineAddress(host) : machineName(host, self)
  return why === undefined ? undefined : `${target.host} is ${why} and ${port} is the mock's own port`
}

/** The same question for a connection already made: is its far end this machine, on one of the mock's ports? */
export function selfConnectionReason (address: string, port: number, self: SelfAddress): string | undefined {
  if (!self.ports.includes(port)) return undefined
  const why = machineAddress(address)
  return why === undefined ? undefined : `it connected to ${address}, ${why}, on the mock's own port ${port}`
}
