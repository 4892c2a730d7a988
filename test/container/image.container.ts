/**
 * `npm run test:container`: builds the image with podman and drives it as a user's Docker would,
 * then brings up docker-compose.yml with podman-compose (docs/docker.md). Not part of `npm test`: it
 * needs root, podman, runc, podman-compose and mmdebstrap (.ci/run installs them from Debian) and
 * takes minutes. Everything it creates is removed at the end, pass or fail, except the stand-in base
 * image, which is kept in podman's store for the next run.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { sign } from '../../src/auth/signature.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../../src/demo-credentials.js'
import { tempDir } from '../support/helper.js'
import { ROOT } from '../support/built-dist.js'
import { baseOf, healthcheckOf, readDockerfile } from '../support/dockerfile.js'
import { buildSecrets, configurePodman, exec, layerContents, must, passThrough, podman, provideBase, seconds, waitFor } from './podman.js'

/** The app's share of the image (image minus base), in MB of 10^6 bytes as podman counts them. */
const APP_LAYERS_MAX_MB = 40
/** `docker stop` sends SIGKILL after this long; a clean stop is an exit 0 well before it. */
const STOP_TIMEOUT_S = 10
const HEALTH_WITHIN_MS = 10_000
/** The compose stack's seeded deposits are delivered within this, retries included. */
const COMPOSE_WEBHOOKS_WITHIN_MS = 180_000

const run = `calypso-mock-test-${randomBytes(4).toString('hex')}`
const IMAGE = `localhost/${run}:latest`
const work = tempDir(t)
configurePodman(work)

const { runtime } = readDockerfile()
const base = baseOf(runtime)!
const nodeVersion = /^node:(\d+\.\d+\.\d+)-/.exec(base)?.[1]
if (nodeVersion === undefined) throw new Error(`the Dockerfile's base ${base} names no exact Node version`)
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image?: string, volumes?: string[], ports?: string[], environment?: Record<string, string> }> }
const merchantImage = compose.services.merchant!.image!

interface ContainerHandle {
  name: string
  url: string
}

async function startContainer (name: string, volume: string): Promise<ContainerHandle & { healthyAfterMs: number }> {
  const started = Date.now()
  t.teardown(async () => { await podman('rm', '--force', '--time', '0', name) })
  await must('run', '--detach', '--name', name, '--publish', '127.0.0.1::8080', '--volume', `${volume}:/data`, IMAGE)
  const address = (await must('port', name, '8080')).split('\n')[0]!
  const url = `http://${address.replace('0.0.0.0', '127.0.0.1')}`
  await waitFor(`${name}: GET /health answering 200`, HEALTH_WITHIN_MS, async () => (await fetch(`${url}/health`)).status === 200 ? true : undefined)
  return { name, url, healthyAfterMs: Date.now() - started }
}

async function stopContainer (name: string): Promise<{ exitCode: number, ms: number, logs: string }> {
  const started = Date.now()
  await must('stop', '--time', String(STOP_TIMEOUT_S), name)
  const ms = Date.now() - started
  const exitCode = Number(await must('inspect', '--format', '{{.State.ExitCode}}', name))
  const logs = (await podman('logs', name)).stdout
  return { exitCode, ms, logs }
}

async function createCustomer (url: string, email: string): Promise<{ status: number, id: string }> {
  const body = JSON.stringify({ account: DEFAULT_ACCOUNT, timestamp: Date.now(), payload: { email } })
  const res = await fetch(`${url}/api/v1/customer-purse/customer/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', key: DOCS_API_KEY, sign: sign(body, DOCS_API_SECRET) },
    body
  })
  return { status: res.status, id: (await res.json() as { id: string }).id }
}

const bases = {
  build: await provideBase(t, base, { image: base, nodeVersion }),
  merchant: await provideBase(t, merchantImage, { image: base, nodeVersion })
}
t.comment(`bases: ${base} from ${bases.build}, ${merchantImage} from ${bases.merchant}`)

const secrets = await buildSecrets(work)
const buildStarted = Date.now()
// The images and cached layers of this run's builds: whatever is in the store after it and was not before.
const imageIds = async () => new Set((await must('images', '--all', '--quiet', '--no-trunc')).split('\n').filter(Boolean))
const before = await imageIds()
t.teardown(async () => {
  await podman('rmi', '--force', IMAGE, `${IMAGE}-build`)
  const made = [...await imageIds()].filter((id) => !before.has(id))
  if (made.length > 0) await podman('rmi', '--force', ...made)
})
const built = await passThrough('podman', ['build', '--format', 'docker', '--pull=never', ...secrets.args, '--tag', IMAGE, ROOT])
if (built !== 0) throw new Error(`podman build exited with ${built}`)
// The build stage again, from the layers just cached, to look into the layers the secrets were mounted for.
const builtStage = await passThrough('podman', ['build', '--format', 'docker', '--pull=never', ...secrets.args, '--target', 'build', '--tag', `${IMAGE}-build`, ROOT])
if (builtStage !== 0) throw new Error(`podman build --target build exited with ${builtStage}`)
t.comment(`image built in ${seconds(Date.now() - buildStarted)}`)

t.test('the image: its size, and no layer holds the npmrc or ca build secret', async (t) => {
  const size = async (image: string) => Number(await must('image', 'inspect', '--format', '{{.Size}}', image))
  const imageBytes = await size(IMAGE)
  const baseBytes = await size(`docker.io/library/${base}`)
  const appMb = (imageBytes - baseBytes) / 1e6
  t.comment(`image ${(imageBytes / 1e6).toFixed(1)} MB = base ${(baseBytes / 1e6).toFixed(1)} MB + app layers ${appMb.toFixed(1)} MB`)
  t.ok(appMb <= APP_LAYERS_MAX_MB, `the app layers take ${appMb.toFixed(1)} MB, at most ${APP_LAYERS_MAX_MB}`)

  const files = (await must('run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'ls /app /app/node_modules/better-sqlite3 /app/node_modules/better-sqlite3/build/Release')).split('\n')
  t.ok(files.includes('openapi.yaml'), 'openapi.yaml is in /app')
  t.ok(files.includes('better_sqlite3.node'), 'the addon is there')
  t.notOk(files.includes('deps') || files.includes('src') || files.includes('obj') || files.includes('obj.target'), 'better-sqlite3\'s sources and build intermediates are not')

  t.ok(secrets.markers.npmrc !== undefined, 'the build was given an npmrc secret')
  for (const image of [IMAGE, `${IMAGE}-build`]) {
    const strings = [...Object.values(secrets.markers), '"name": "calypso-mock"']
    const { layers, paths, found } = await layerContents(image, `docker.io/library/${base}`, join(work, image.replace(/\W+/g, '-')), strings)
    t.ok(paths.some((path) => /(^|\/)app\/package\.json$/.test(path)), `${image}: the listing of its ${layers} layers above the base finds app/package.json`)
    t.ok(found.includes('"name": "calypso-mock"'), `${image}: the search of its layers finds package.json's name`)
    t.same(paths.filter((path) => /(^|\/)run\/secrets\/./.test(path) || /(^|\/)(\.npmrc|npmrc|ca\.pem)$/.test(path)), [], `${image}: no layer has a secret's file`)
    for (const [secret, marker] of Object.entries(secrets.markers)) t.notOk(found.includes(marker), `${image}: no layer holds the ${secret} secret's content`)
  }
})

t.test('the image\'s HEALTHCHECK is kept (docker format) and run by podman', async (t) => {
  const healthcheck = JSON.parse(await must('image', 'inspect', '--format', '{{json .Config.Healthcheck}}', IMAGE)) as { Test?: string[] } | null
  t.same(healthcheck?.Test, ['CMD', ...healthcheckOf(runtime)], 'the image config carries the Dockerfile\'s HEALTHCHECK')
})

t.test('a container: /health within 10 s, non-root, a signed create, healthy, a clean stop, and its data kept on the volume', async (t) => {
  const volume = `${run}-data`
  t.teardown(async () => { await podman('volume', 'rm', '--force', volume) })
  await must('volume', 'create', volume)

  const first = await startContainer(`${run}-first`, volume)
  t.comment(`/health answered 200 ${seconds(first.healthyAfterMs)} after podman run`)
  t.pass(`/health answered within ${seconds(HEALTH_WITHIN_MS)}`)
  t.equal(await must('inspect', '--format', '{{.Config.User}}', first.name), 'node', 'the image\'s USER')
  t.match(await must('exec', first.name, 'cat', '/proc/1/status'), /^Uid:\s+1000\s+1000\s/m, 'the server (PID 1) runs as uid 1000')

  // What is loaded only when asked for: the pruned node_modules must still hold it.
  t.equal((await fetch(`${first.url}/docs`)).status, 200, 'the API reference page (swagger-ui)')
  t.equal((await fetch(`${first.url}/docs/static/swagger-ui-bundle.js`)).status, 200, 'and its script')
  t.equal((await fetch(`${first.url}/_mock/dashboard`)).status, 200, 'the dashboard')

  const created = await createCustomer(first.url, 'container@example.com')
  t.equal(created.status, 200, 'a signed customer/create')

  const check = await podman('healthcheck', 'run', first.name)
  t.equal(check.code, 0, `podman healthcheck run: the HEALTHCHECK passes ${check.stderr.trim()}`)
  t.equal(await must('inspect', '--format', '{{.State.Health.Status}}', first.name), 'healthy')

  const stopped = await stopContainer(first.name)
  t.comment(`podman stop took ${seconds(stopped.ms)}`)
  t.equal(stopped.exitCode, 0, `stopped with exit 0 in ${seconds(stopped.ms)} (SIGKILL, exit 137, comes at ${STOP_TIMEOUT_S} s)`)
  t.match(stopped.logs, /SIGTERM received, closing/, 'by the server\'s own SIGTERM handler')
  await must('rm', first.name)

  const second = await startContainer(`${run}-second`, volume)
  const listed = await (await fetch(`${second.url}/_mock/customers`)).json() as { customers: Array<{ id: string }> }
  t.ok(listed.customers.some((c) => c.id === created.id), 'a new container on the same volume has the customer the first created')
  t.equal((await stopContainer(second.name)).exitCode, 0)
})

t.test('calypso-mock conformance passes inside the image', async (t) => {
  const name = `${run}-conformance`
  t.teardown(async () => { await podman('rm', '--force', '--volumes', name) })
  const result = await podman('run', '--name', name, IMAGE, 'node', 'dist/server.js', 'conformance')
  t.equal(result.code, 0, `exit 0${result.code === 0 ? '' : `:\n${result.stdout}\n${result.stderr}`}`)
  t.comment(result.stdout.trim().split('\n').at(-1))
})

t.test('docker-compose.yml under podman-compose: the merchant logs verified webhooks for every seeded deposit', async (t) => {
  const project = run
  // The stack runs the image built above rather than building its own without the build secrets.
  const override = join(work, 'compose.override.yml')
  writeFileSync(override, `services:\n  calypso-mock:\n    image: ${IMAGE}\n`)
  const composeArgs = ['-p', project, '-f', join(ROOT, 'docker-compose.yml'), '-f', override]
  t.teardown(async () => {
    await exec('podman-compose', [...composeArgs, 'down', '-v'])
    // Whatever `down` left: podman-compose labels all it creates with the project.
    const label = `label=io.podman.compose.project=${project}`
    const ids = (await podman('ps', '--all', '--quiet', '--filter', label)).stdout.split('\n').filter(Boolean)
    if (ids.length > 0) await podman('rm', '--force', '--volumes', ...ids)
    for (const kind of ['volume', 'network', 'pod'] as const) {
      const listed = (await podman(kind, 'ls', '--quiet', '--filter', label)).stdout.split('\n').filter(Boolean)
      if (listed.length > 0) await podman(kind, 'rm', '--force', ...listed)
    }
  })
  const up = await exec('podman-compose', [...composeArgs, 'up', '--detach', '--no-build'])
  t.equal(up.code, 0, `podman-compose up${up.code === 0 ? '' : `: ${up.stderr}`}`)
  if (up.code !== 0) return

  const mockUrl = `http://${compose.services['calypso-mock']!.ports![0]!.split(':').slice(0, 2).join(':')}`
  await waitFor('the compose stack\'s mock answering /health', 60_000, async () => (await fetch(`${mockUrl}/health`)).status === 200 ? true : undefined)

  const seed = parse(readFileSync(join(ROOT, 'examples/seed.yaml'), 'utf8')) as { customers: Array<{ email: string, deposits?: unknown[] }> }
  const seeded = seed.customers.filter((c) => (c.deposits ?? []).length > 0)
  const transactions: Array<{ id: string, customerId: string }> = []
  for (const customer of seeded) {
    const { customers } = await (await fetch(`${mockUrl}/_mock/customers?search=${encodeURIComponent(customer.email)}`)).json() as { customers: Array<{ id: string }> }
    t.equal(customers.length, 1, `the seeded customer ${customer.email} is there`)
    const listed = await (await fetch(`${mockUrl}/_mock/transactions?customerId=${customers[0]!.id}`)).json() as { transactions: Array<{ id: string, customerId: string }> }
    t.equal(listed.transactions.length, customer.deposits!.length, `with its ${customer.deposits!.length} seeded deposit(s)`)
    transactions.push(...listed.transactions)
  }

  const merchant = `${project}_merchant_1`
  const webhookLines = async () => (await podman('logs', merchant)).stdout.split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string, id?: number })
  const started = Date.now()
  // On a timeout the failure shows the stack's state: the containers, the merchant's log, the deliveries.
  const stackState = async () => {
    const containers = (await podman('ps', '--all', '--filter', `label=io.podman.compose.project=${project}`, '--format', '{{.Names}} {{.Status}}')).stdout.trim()
    const merchantLog = await podman('logs', '--tail', '20', merchant)
    const deliveries = await fetch(`${mockUrl}/_mock/webhooks/deliveries`).then(async (r) => await r.text(), (err: unknown) => String(err))
    return `containers:\n${containers}\nmerchant's log (last 20 lines):\n${merchantLog.stdout}${merchantLog.stderr}\nthe mock's deliveries: ${deliveries.slice(0, 4000)}`
  }
  await waitFor('a verified webhook, logged by the merchant, for every seeded deposit', COMPOSE_WEBHOOKS_WITHIN_MS, async () => {
    const logged = new Set((await webhookLines()).filter((line) => line.msg === 'webhook').map((line) => line.id))
    for (const transaction of transactions) {
      const { deliveries } = await (await fetch(`${mockUrl}/_mock/webhooks/deliveries?customerId=${transaction.customerId}`)).json() as { deliveries: Array<{ body: string }> }
      const events = deliveries.map((d) => JSON.parse(d.body) as { id: number, data: { transactionId?: string } }).filter((e) => e.data.transactionId === transaction.id)
      if (!events.some((event) => logged.has(event.id))) return undefined
    }
    return true
  }).catch(async (err: Error) => { throw new Error(`${err.message}\n${await stackState()}`) })
  t.pass(`the merchant logged a verified webhook for each of the ${transactions.length} seeded deposits (${seconds(Date.now() - started)})`)
  t.same((await webhookLines()).filter((line) => line.msg.startsWith('webhook refused')), [], 'and refused none')
})
