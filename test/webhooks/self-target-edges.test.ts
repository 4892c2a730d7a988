import { hostname, networkInterfaces } from 'node:os'
import t from 'tap'
import { selfConnectionReason, selfTargetReason } from '../../src/webhooks/self-target.js'

const SELF = { ports: [8080], host: '127.0.0.1', allowedHosts: ['calypso-mock'] }
const OWN_PORT = 'and 8080 is the mock\'s own port'

const interfaces = Object.values(networkInterfaces()).flat().filter((i) => i !== undefined)
const ownAddresses = new Set(interfaces.map((i) => i.address.toLowerCase()))
/** An address of this machine other than loopback; one written with hex letters, for the case of its spelling. */
const ownIPv4 = interfaces.find((i) => !i.internal && i.family === 'IPv4')?.address
const ownLetteredIPv6 = interfaces.find((i) => !i.internal && i.family === 'IPv6' && /[a-f]/i.test(i.address))?.address

t.test('the reason names which spelling of this machine the url used', async (t) => {
  const reasons: Array<[string, string]> = [
    ['http://[::1]:8080/', '[::1]:8080 is the IPv6 loopback address'],
    ['http://0.0.0.0:8080/', '0.0.0.0:8080 is the "any" address, which reaches this machine'],
    ['http://[::ffff:127.0.0.1]:8080/', '[::ffff:7f00:1]:8080 is a loopback address'],
    ['http://app.localhost:8080/', 'app.localhost:8080 is a loopback name'],
    [`http://${hostname()}:8080/`, `${hostname().toLowerCase()}:8080 is this machine's host name`],
    ['http://calypso-mock:8080/', 'calypso-mock:8080 is a name this mock answers to (HOST or ALLOWED_HOSTS)']
  ]
  for (const [url, why] of reasons) t.equal(selfTargetReason(url, SELF), `${why} ${OWN_PORT}`, url)
})

t.test('an address of one of this machine\'s interfaces is the mock, in whatever case its hex is written', { skip: ownIPv4 === undefined && ownLetteredIPv6 === undefined ? 'no non-loopback interface' : false }, async (t) => {
  if (ownIPv4 !== undefined) {
    t.equal(selfTargetReason(`http://${ownIPv4}:8080/`, SELF), `${ownIPv4}:8080 is an address of this machine ${OWN_PORT}`)
  }
  if (ownLetteredIPv6 !== undefined) {
    const host = new URL(`http://[${ownLetteredIPv6}]:8080/`).host
    t.equal(selfTargetReason(`http://[${ownLetteredIPv6.toUpperCase()}]:8080/`, SELF), `${host} is an address of this machine ${OWN_PORT}`)
    t.equal(selfConnectionReason(ownLetteredIPv6, 8080, SELF), `it connected to ${ownLetteredIPv6}, an address of this machine, on the mock's own port 8080`)
    t.equal(selfConnectionReason(ownLetteredIPv6.toUpperCase(), 8080, SELF), `it connected to ${ownLetteredIPv6.toUpperCase()}, an address of this machine, on the mock's own port 8080`)
  }
})

t.test('an IPv4-mapped IPv6 address is read as the IPv4 address it carries, and only a mapped one is', async (t) => {
  t.equal(selfTargetReason('http://[::ffff:127.0.1.1]:8080/', SELF), `[::ffff:7f00:101]:8080 is a loopback address ${OWN_PORT}`, 'both halves of the hex form count')
  t.equal(selfConnectionReason('::ffff:127.10.100.200', 8080, SELF), 'it connected to ::ffff:127.10.100.200, a loopback address, on the mock\'s own port 8080', 'every octet of the dotted form counts')
  const foreign = '203.0.113.9'
  t.notOk(ownAddresses.has(foreign), 'precondition: 203.0.113.9 is not this machine')
  t.equal(selfTargetReason(`http://[::ffff:${foreign}]:8080/`, SELF), undefined, 'a mapped address of another machine is another server')
  t.equal(selfConnectionReason(`::ffff:${foreign}`, 8080, SELF), undefined)
  // These are ordinary IPv6 addresses whose text merely contains a mapped form.
  t.equal(selfTargetReason('http://[1::ffff:7f00:1]:8080/', SELF), undefined, 'a prefix before ::ffff: makes another address')
  t.equal(selfTargetReason('http://[::ffff:7f00:1:1]:8080/', SELF), undefined, 'a group after the mapped pair makes another address')
  t.equal(selfConnectionReason('1::ffff:27.0.0.1', 8080, SELF), undefined, 'and so does a prefix before a dotted mapped form')
})

t.test('a connection to another machine on the mock\'s port is not the mock', async (t) => {
  t.notOk(ownAddresses.has('203.0.113.9'), 'precondition: 203.0.113.9 is not this machine')
  t.equal(selfConnectionReason('203.0.113.9', 8080, SELF), undefined)
  t.equal(selfConnectionReason('2001:db8::1', 8080, SELF), undefined)
})

t.test('a url without a port is on its scheme\'s default port: 443 for https, 80 for http', async (t) => {
  t.equal(selfTargetReason('https://127.0.0.1/', { ...SELF, ports: [443] }), '127.0.0.1 is a loopback address and 443 is the mock\'s own port')
  t.equal(selfTargetReason('https://127.0.0.1/', { ...SELF, ports: [80] }), undefined, 'https is not on 80')
  t.equal(selfTargetReason('http://127.0.0.1/', { ...SELF, ports: [443] }), undefined, 'http is not on 443')
})

t.test('a url the URL parser cannot read is not the mock (the schema refuses it on its own)', async (t) => {
  t.equal(selfTargetReason('not a url', SELF), undefined)
  t.equal(selfTargetReason('http://[::1:8080/', SELF), undefined)
})
