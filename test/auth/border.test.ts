import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { parse } from 'yaml'
import { hostAllowed, hostnameOf, originMatches } from '../../src/auth/border.js'
import { loadConfig } from '../../src/config.js'
import { testConfig } from '../../src/test-config.js'
import { ErrorCode, Reason } from '../../src/errors.js'
import { build, createCustomer, serve } from '../support/helper.js'
import { rawExchange } from '../support/raw-http.js'
import { ROOT } from '../support/built-dist.js'
import { envOf, readDockerfile } from '../support/dockerfile.js'

const HOST = '127.0.0.1:8080'

/** A border refusal: `status`, errorCode 001 in Calypso's body, and the catalog's message. */
function assertRefused (t: Test, res: LightMyRequestResponse, status: number, message: string): void {
  t.equal(res.statusCode, status, `answers ${status}`)
  t.match(res.json(), { errorCode: ErrorCode.BAD_REQUEST, message: `Bad request: ${message}` })
}

async function accountCount (app: FastifyInstance): Promise<number> {
  return ((await app.inject({ method: 'GET', url: '/_mock/accounts', headers: { host: HOST } })).json() as { accounts: unknown[] }).accounts.length
}

t.test('a Host the mock does not know is refused on every path, and changes nothing (DNS rebinding)', async (t) => {
  const app = await build(t)
  await createCustomer(app)
  const evil = { host: 'evil.example:8080' }
  for (const url of ['/_mock/accounts', '/_mock/customers', '/docs', '/openapi.json', '/health', '/_mock/dashboard/']) {
    assertRefused(t, await app.inject({ method: 'GET', url, headers: evil }), 403, Reason.hostNotAllowed('evil.example:8080'))
  }
  assertRefused(t, await app.inject({ method: 'POST', url: '/_mock/reset', headers: evil, payload: {} }), 403, Reason.hostNotAllowed('evil.example:8080'))
  assertRefused(t, await app.inject({ method: 'POST', url: '/_mock/accounts', headers: evil, payload: {} }), 403, Reason.hostNotAllowed('evil.example:8080'))
  const customers = (await app.inject({ method: 'GET', url: '/_mock/customers', headers: { host: HOST } })).json() as { customers: unknown[] }
  t.equal(customers.customers.length, 1, 'the reset did not run')
  t.equal(await accountCount(app), 1, 'no account was created')
  t.match(Reason.hostNotAllowed('evil.example:8080'), /ALLOWED_HOSTS=evil\.example\), or set MOCK_ADMIN_TOKEN$/, 'the message says what to change')
})

t.test('loopback names and addresses, IP addresses, HOST and ALLOWED_HOSTS pass', async (t) => {
  const config = { host: 'mock.internal', allowedHosts: ['calypso-mock', '.example.test'] }
  for (const host of ['127.0.0.1:8080', '127.0.0.1', 'localhost:8080', 'LOCALHOST.', 'app.localhost:8080', '[::1]:8080', '[::ffff:127.0.0.1]',
    '192.168.1.5:8080', '10.0.0.1', 'mock.internal:8080', 'calypso-mock:8080', 'Calypso-Mock', 'example.test', 'api.example.test:443']) {
    t.ok(hostAllowed(host, config), `${host} passes`)
  }
  for (const host of ['evil.example', 'calypso-mock.evil.example', 'localhost.evil.example', 'notexample.test', '127.0.0.1.nip.io:8080', 'mock.internal.evil', '2130706433:8080']) {
    t.notOk(hostAllowed(host, config), `${host} is refused`)
  }
  t.equal(hostnameOf('[::1]:8080'), '::1')
  t.equal(hostnameOf('Example.TEST.:80'), 'example.test')

  const app = await build(t, { allowedHosts: ['calypso-mock'] })
  t.equal((await app.inject({ method: 'GET', url: '/_mock/accounts', headers: { host: 'calypso-mock:8080' } })).statusCode, 200, 'an ALLOWED_HOSTS name is answered')
  t.equal((await app.inject({ method: 'GET', url: '/health', headers: { host: 'localhost:8080' } })).statusCode, 200)
})

t.test('with MOCK_ADMIN_TOKEN, any Host is answered: what a page could read or change needs the token or a signature', async (t) => {
  const app = await build(t, { adminToken: 'a-long-admin-token' })
  const res = await app.inject({ method: 'GET', url: '/_mock/accounts', headers: { host: 'mock.example.com', authorization: 'Bearer a-long-admin-token' } })
  t.equal(res.statusCode, 200)
  const refused = await app.inject({ method: 'GET', url: '/_mock/accounts', headers: { host: 'mock.example.com' } })
  t.equal(refused.statusCode, 401, 'the token is still needed')
})

t.test('a POST to /_mock needs a JSON body: a page\'s no-cors POST (no type, or text/plain) changes nothing', async (t) => {
  const app = await build(t)
  for (const url of ['/_mock/accounts', '/_mock/reset', '/_mock/webhooks/faults']) {
    assertRefused(t, await app.inject({ method: 'POST', url, headers: { host: HOST } }), 415, Reason.mockContentType(undefined))
    assertRefused(t, await app.inject({ method: 'POST', url, headers: { host: HOST, 'content-type': 'text/plain' }, payload: '{}' }), 415, Reason.mockContentType('text/plain'))
    assertRefused(t, await app.inject({ method: 'POST', url, headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' }), 415, Reason.mockContentType('application/x-www-form-urlencoded'))
  }
  t.equal(await accountCount(app), 1, 'no account was created')
  const faults = (await app.inject({ method: 'GET', url: '/_mock/webhooks/faults', headers: { host: HOST } })).json() as { faults: unknown[] }
  t.same(faults.faults, [], 'no receiver failure was queued')
  const created = await app.inject({ method: 'POST', url: '/_mock/accounts', headers: { host: HOST, 'content-type': 'application/json; charset=utf-8' }, payload: '{}' })
  t.equal(created.statusCode, 201, 'a JSON body is taken')
})

t.test('a change to /_mock from another Origin is refused; the mock\'s own Origin, or none, passes', async (t) => {
  const app = await build(t)
  for (const origin of ['http://127.0.0.1:3000', 'http://evil.example', 'null', 'http://localhost:8080']) {
    const res = await app.inject({ method: 'POST', url: '/_mock/accounts', headers: { host: HOST, origin }, payload: {} })
    assertRefused(t, res, 403, Reason.originNotAllowed(origin))
  }
  assertRefused(t, await app.inject({ method: 'DELETE', url: '/_mock/faults', headers: { host: HOST, origin: 'http://127.0.0.1:3000' } }), 403, Reason.originNotAllowed('http://127.0.0.1:3000'))
  t.equal(await accountCount(app), 1, 'nothing was created')
  t.equal((await app.inject({ method: 'POST', url: '/_mock/accounts', headers: { host: HOST, origin: 'http://127.0.0.1:8080' }, payload: {} })).statusCode, 201, 'the mock\'s own page')
  t.equal((await app.inject({ method: 'POST', url: '/_mock/accounts', headers: { host: HOST }, payload: {} })).statusCode, 201, 'no Origin: a program')
  t.ok(originMatches('https://mock.example.com', 'mock.example.com'), 'a TLS proxy\'s page on the default port')
  t.ok(originMatches('http://127.0.0.1', '127.0.0.1:80'))
  t.notOk(originMatches('http://127.0.0.1:8081', '127.0.0.1:8080'))
  t.notOk(originMatches('not a url', '127.0.0.1:8080'))
})

t.test('a read of /_mock made by another site\'s page (an include, a no-cors fetch) is refused; following a link is not', async (t) => {
  const app = await build(t)
  for (const site of ['cross-site', 'same-site']) {
    const res = await app.inject({ method: 'GET', url: '/_mock/accounts', headers: { host: HOST, 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors' } })
    assertRefused(t, res, 403, Reason.crossSiteMock(site))
  }
  const link = await app.inject({ method: 'GET', url: '/_mock/dashboard/', headers: { host: HOST, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } })
  t.equal(link.statusCode, 200, 'a link from another site opens the dashboard')
  const own = await app.inject({ method: 'GET', url: '/_mock/accounts', headers: { host: HOST, 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' } })
  t.equal(own.statusCode, 200, 'the mock\'s own page reads')
  const api = await app.inject({ method: 'GET', url: '/openapi.json', headers: { host: HOST, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' } })
  t.equal(api.statusCode, 200, 'outside /_mock a cross-site read is the browser\'s business (no CORS header: the page cannot read it)')
})

t.test('ALLOWED_HOSTS is read as a comma-separated list of names; a port or a scheme is refused with a hint', async (t) => {
  t.same(loadConfig({ ALLOWED_HOSTS: ' Calypso-Mock , .example.test,' }).allowedHosts, ['calypso-mock', '.example.test'])
  t.same(loadConfig({}).allowedHosts, [])
  t.throws(() => loadConfig({ ALLOWED_HOSTS: 'calypso-mock:8080' }), /ALLOWED_HOSTS: must be host names separated by commas, without scheme, port or path/)
  t.throws(() => loadConfig({ ALLOWED_HOSTS: 'http://calypso-mock' }), /ALLOWED_HOSTS/)
})

t.test('docker-compose.yml: the merchant reaches the mock by its service name', async (t) => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { environment?: Record<string, string> }> }
  const config = loadConfig({ ...envOf(readDockerfile().runtime), ...compose.services['calypso-mock']!.environment })
  const calypsoUrl = new URL(compose.services.merchant!.environment!.CALYPSO_URL!)
  t.ok(hostAllowed(calypsoUrl.host, config), `${calypsoUrl.host} is allowed`)
  const app = await build(t, { ...testConfig(), allowedHosts: config.allowedHosts, host: config.host })
  t.equal((await app.inject({ method: 'POST', url: '/_mock/accounts', headers: { host: calypsoUrl.host }, payload: {} })).statusCode, 201)
})

t.test('/docs says what it may load and that no other site may frame it', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/docs/', headers: { host: HOST } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/)
  t.match(res.headers['content-security-policy'], /default-src 'self'/)
  t.equal(res.headers['x-frame-options'], 'DENY')
})

t.test('the border\'s edges: names that only end or start like an allowed one, reads from another Origin, bodies and paths', async (t) => {
  const config = { host: '127.0.0.1', allowedHosts: ['calypso-mock'] }
  for (const host of ['xcalypso-mock', 'evil.example[::1]:8080', 'evil[::1]', '[::1].evil.example', '[::1]evil']) {
    t.notOk(hostAllowed(host, config), `${host} is refused`)
  }

  const app = await build(t)
  const other = 'http://127.0.0.1:3000'
  for (const method of ['GET', 'HEAD'] as const) {
    const res = await app.inject({ method, url: '/_mock/accounts', headers: { host: HOST, origin: other } })
    t.equal(res.statusCode, 200, `a ${method} with another Origin and no Sec-Fetch-Site is answered`)
    t.equal(res.headers['access-control-allow-origin'], undefined, 'with no CORS header: a page cannot read it')
  }
  const cleared = await app.inject({ method: 'DELETE', url: '/_mock/faults', headers: { host: HOST } })
  t.equal(cleared.statusCode, 200, 'a DELETE needs no JSON body')
  const spaced = await app.inject({ method: 'POST', url: '/_mock/accounts', headers: { host: HOST, 'content-type': ' Application/JSON ; charset=utf-8' }, payload: '{}' })
  t.equal(spaced.statusCode, 201, 'the media type is read without spaces or letter case')
  for (const url of ['/_mock', '/_mock?x=1']) {
    assertRefused(t, await app.inject({ method: 'POST', url, headers: { host: HOST, 'content-type': 'text/plain' }, payload: '{}' }), 415, Reason.mockContentType('text/plain'))
  }
})

t.test('a request with no Host at all (HTTP/1.0, never a browser\'s) is answered, and a change with an Origin is still refused', async (t) => {
  const { app, url } = await serve(t)
  const port = Number(new URL(url).port)
  const health = await rawExchange(port, 'GET /health HTTP/1.0\r\n\r\n')
  t.equal(health.status, 200, 'no Host: nothing to check it against, as with any client that is not a browser')
  await createCustomer(app)
  const body = '{}'
  const reset = await rawExchange(port, `POST /_mock/reset HTTP/1.0\r\nOrigin: http://undefined\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
  t.equal(reset.status, 403, 'an Origin cannot match a request that names no host, whatever the Origin says')
  t.match(JSON.parse(reset.body), { errorCode: ErrorCode.BAD_REQUEST, message: `Bad request: ${Reason.originNotAllowed('http://undefined')}` })
  t.equal((await app.inject({ method: 'GET', url: '/_mock/customers' })).json().customers.length, 1, 'and nothing was reset')
})

t.test('a port is cut only from the end of a Host: a colon inside the name stays, and the name is not one the mock knows', async (t) => {
  t.equal(hostnameOf('evil:1.example.test'), 'evil:1.example.test')
  t.notOk(hostAllowed('evil:1.example.test', { host: '127.0.0.1', allowedHosts: ['evil.example.test'] }))
  t.equal(hostnameOf('name.example.test:8080'), 'name.example.test')
})
