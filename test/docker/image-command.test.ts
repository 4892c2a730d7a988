import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import t from 'tap'
import { sign } from '../../src/auth/signature.js'
import { BUNDLE_FILE, codeCacheFile, SERVER_V8_FLAGS } from '../../src/bundle-loader.js'
import { DEFAULT_ACCOUNT, DOCS_API_KEY, DOCS_API_SECRET } from '../../src/demo-credentials.js'
import { tempDir } from '../support/helper.js'
import { builtDist, ROOT } from '../support/built-dist.js'
import { cmdOf, copiesOf, envOf, healthcheckOf, readDockerfile } from '../support/dockerfile.js'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/**
 * The image's /app, outside the repository so nothing resolves from the repository's own
 * node_modules: a copy of the repository's dist/ (which `npm test` builds once, as the build
 * stage's `npm run build` does), what the runtime stage copies from the build context, and
 * node_modules holding the production dependencies only (as after `npm prune --omit=dev`),
 * linked from the repository's.
 */
function imageApp (t: Teardown, contextCopies: string[]): string {
  const app = tempDir(t)
  for (const entry of contextCopies) cpSync(join(ROOT, entry), join(app, entry), { recursive: true })
  cpSync(builtDist(), join(app, 'dist'), { recursive: true })
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> }
  for (const [path, entry] of Object.entries(lock.packages)) {
    const topLevel = /^node_modules\/(?:@[^/]+\/)?[^/]+$/.test(path)
    if (!topLevel || entry.dev === true || !existsSync(join(ROOT, path))) continue
    mkdirSync(dirname(join(app, path)), { recursive: true })
    symlinkSync(join(ROOT, path), join(app, path), 'dir')
  }
  return app
}

t.test('the image\'s CMD serves, passes its HEALTHCHECK, stops cleanly on SIGTERM and restarts on its volume', async (t) => {
  const { runtime } = readDockerfile()
  const contextCopies = copiesOf(runtime).filter((c) => c.from === undefined).flatMap((c) => c.sources)
  const app = imageApp(t, contextCopies)
  t.notOk(existsSync(join(app, 'node_modules/typescript')), 'no dev dependency in the app\'s node_modules')

  const env = envOf(runtime)
  t.equal(env.HOST, '0.0.0.0', 'the server listens on every interface, so a published port reaches it')
  const cmd = cmdOf(runtime)
  t.equal(cmd[0], 'node', 'CMD runs node itself (PID 1 gets SIGTERM)')
  const volume = tempDir(t)
  const databasePath = join(volume, 'calypso-mock.db')
  // The image's ENV, with a free port instead of 8080 and a temporary folder standing in for /data.
  const imageEnv = { ...env, PORT: '0', DATABASE_PATH: databasePath, PATH: process.env.PATH ?? '' }

  const start = async () => {
    const child = spawn(process.execPath, cmd.slice(1), { cwd: app, env: imageEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    t.teardown(() => { child.kill('SIGKILL') })
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        const match = /listening on http:\/\/[^:]+:(\d+)/.exec(stdout)
        if (match?.[1] !== undefined) resolve(match[1])
      })
      void exited.then(([code]) => reject(new Error(`exited with ${code}: ${stderr}`)))
    })
    const stop = async () => {
      child.kill('SIGTERM')
      const [code, signal] = await exited
      return { code, signal, stdout }
    }
    return { port, stop }
  }

  const healthcheck = async (port: string) => {
    const argv = healthcheckOf(runtime)
    t.equal(argv[0], 'node')
    // Docker runs it in the container, with the image's environment: the port comes from PORT.
    const probe = spawn(process.execPath, argv.slice(1), { env: { ...imageEnv, PORT: port }, stdio: 'ignore' })
    const [code] = await once(probe, 'exit') as [number | null]
    return code
  }

  const createCustomer = async (port: string, email: string) => {
    const body = JSON.stringify({ account: DEFAULT_ACCOUNT, timestamp: Date.now(), payload: { email } })
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/customer-purse/customer/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', key: DOCS_API_KEY, sign: sign(body, DOCS_API_SECRET) },
      body
    })
    t.equal(res.status, 200, 'a signed request to the image\'s server')
    return (await res.json() as { id: string }).id
  }

  const first = await start()
  t.equal(await healthcheck(first.port), 0, 'the HEALTHCHECK passes')
  t.equal(await healthcheck('1'), 1, 'and fails when nothing answers')
  const health = await (await fetch(`http://127.0.0.1:${first.port}/health`)).json() as { database: { path: string, journalMode: string } }
  t.same(health.database, { path: databasePath, journalMode: 'wal' }, 'the database is on the volume')
  const customerId = await createCustomer(first.port, 'volume@example.com')

  const stopped = await first.stop()
  t.same([stopped.code, stopped.signal], [0, null], 'SIGTERM: a clean exit, from the server\'s own handler')
  t.match(stopped.stdout, /SIGTERM received, closing/)
  t.ok(existsSync(databasePath), 'the database file is on the volume')

  const second = await start()
  t.equal(await healthcheck(second.port), 0, 'a restart on the same volume is healthy')
  const listed = await (await fetch(`http://127.0.0.1:${second.port}/_mock/customers`)).json() as { customers: Array<{ id: string }> }
  t.ok(listed.customers.some((c) => c.id === customerId), 'and keeps what the first run stored')
  const again = await second.stop()
  t.same([again.code, again.signal], [0, null])
})

t.test('the image\'s CMD and npm start run node with the V8 flags the build writes a code cache for', async (t) => {
  const cmd = cmdOf(readDockerfile().runtime)
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  t.same(cmd, ['node', ...SERVER_V8_FLAGS, 'dist/server.js'], 'the CMD')
  t.equal(start, `exec ${cmd.join(' ')}`, 'npm start runs the image\'s CMD')
  t.ok(SERVER_V8_FLAGS.includes('--max-semi-space-size=4'), 'the young generation that keeps the heap small under load (docs/configuration.md, Memory)')
  t.ok(SERVER_V8_FLAGS.includes('--expose-gc'), 'the collection that gives the heap back once idle (docs/configuration.md, Memory)')
  const bundle = join(builtDist(), BUNDLE_FILE)
  t.not(codeCacheFile(bundle, [...SERVER_V8_FLAGS]), codeCacheFile(bundle, []), 'a code cache of their own')
  t.ok(existsSync(codeCacheFile(bundle, [...SERVER_V8_FLAGS])), 'which the build wrote')
})
