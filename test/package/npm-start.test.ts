import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { tempDir } from '../support/helper.js'
import { staleReason } from '../../scripts/build-if-stale.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SERVER = join(ROOT, 'dist', 'server.js')
const stale = staleReason as (root: string) => string | undefined

/** Resolves with the pid of the server once its `listening on` line is out (the log lines are JSON with the pid). */
function serverPid (child: ChildProcess): Promise<number> {
  let out = ''
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.includes('calypso-mock listening on'))
      if (line !== undefined) resolve((JSON.parse(line) as { pid: number }).pid)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${out}`)))
  })
}

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Resolves once `pid` is gone: the positive signal that the server stopped. */
async function gone (pid: number): Promise<void> {
  while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 20))
}

t.test('npm start starts the built server at once, and SIGTERM to npm stops it', async (t) => {
  // This test reads the repository's dist/ and must not build it: a stale one fails here instead.
  const reason = stale(ROOT)
  if (reason !== undefined) return t.fail(`dist/ is stale (${reason}); npm test builds it before the tests`)
  const npm = spawn('npm', ['start', '--', '--port', '0', '--db', ':memory:'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } })
  let stderr = ''
  npm.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const pid = await serverPid(npm)
  t.teardown(() => { if (alive(pid)) process.kill(pid, 'SIGKILL') })
  t.notMatch(stderr, /rebuilding|building/, 'no build on a built checkout')
  npm.kill('SIGTERM')
  await gone(pid)
  t.notOk(alive(pid), 'the server stopped with npm')
})

t.test('a server started by npm stops when npm goes away without passing a signal on', async (t) => {
  // npx runs the bin through a shell; SIGKILL leaves nothing a chance to forward anything.
  const shell = spawn('sh', ['-c', `"${process.execPath}" "${SERVER}" --port 0 --db :memory:`], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', npm_lifecycle_event: 'npx' }
  })
  const pid = await serverPid(shell)
  t.teardown(() => { if (alive(pid)) process.kill(pid, 'SIGKILL') })
  shell.kill('SIGKILL')
  await once(shell, 'exit')
  await gone(pid)
  t.notOk(alive(pid))
})

t.test('npm start rebuilds only when a source is newer than the bundle, and says which', async (t) => {
  const root = tempDir(t)
  mkdirSync(join(root, 'src'))
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'src', 'app.ts'), '')
  t.match(stale(root), /dist\/ has no server bundle/)
  writeFileSync(join(root, 'dist', 'calypso-mock.cjs'), '')
  const past = new Date(Date.now() - 60_000)
  utimesSync(join(root, 'src', 'app.ts'), past, past)
  t.equal(stale(root), undefined, 'a built checkout starts at once')
  const later = new Date(Date.now() + 60_000)
  utimesSync(join(root, 'src', 'app.ts'), later, later)
  t.equal(stale(root), 'src/app.ts is newer than dist/: rebuilding (npm run build)')
})
