/**
 * Podman, driven as a user's Docker would be, for `npm run test:container`: commands, the base
 * images (the real ones where Docker Hub answers, else a stand-in built from Debian and npm), the
 * build secrets taken from this machine's npm configuration, and what an image's layers hold.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ROOT } from '../support/built-dist.js'

const execFileAsync = promisify(execFile)

export interface Teardown {
  teardown: (fn: () => unknown) => void
  comment: (...message: unknown[]) => void
}

export interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command to its end; never throws for a non-zero exit. */
export async function exec (command: string, args: string[], options: { cwd?: string, timeoutMs?: number } = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, { cwd: options.cwd ?? ROOT, maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 0 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code?: number | string, stdout?: string, stderr?: string, message: string }
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? failed.message }
  }
}

export const podman = async (...args: string[]) => await exec('podman', args)

/** Runs podman and returns its trimmed output; throws with podman's own message when it fails. */
export async function must (...args: string[]): Promise<string> {
  const result = await podman(...args)
  if (result.code !== 0) throw new Error(`podman ${args.join(' ')} exited with ${result.code}: ${result.stderr.trim()}`)
  return result.stdout.trim()
}

/**
 * Runs a command with its output shown (long builds show their progress); resolves with its exit
 * code. Both streams go to stderr: tap reads a test's stdout as TAP, and a build's log could end it.
 */
export async function passThrough (command: string, args: string[], cwd = ROOT): Promise<number> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', process.stderr, process.stderr] })
  return await new Promise((resolve) => {
    child.on('error', () => resolve(127))
    child.on('exit', (code) => resolve(code ?? 1))
  })
}

/**
 * Podman's engine settings for this machine, unless CONTAINERS_CONF already names some: runc, as
 * crun refuses this machine's cgroup layout, and no default ulimits, which the container may not raise.
 */
export function configurePodman (dir: string): void {
  if (process.env.CONTAINERS_CONF !== undefined) return
  const file = join(dir, 'containers.conf')
  writeFileSync(file, '[containers]\ndefault_ulimits = []\n\n[engine]\nruntime = "runc"\n')
  process.env.CONTAINERS_CONF = file
}

/** The stand-in's name in podman's store, where it stays between runs. */
export const standInName = (image: string) => `localhost/calypso-mock-stand-in/${image}`

const dockerHub = (image: string) => `docker.io/library/${image}`

const imageId = async (name: string) => {
  const result = await podman('image', 'inspect', '--format', '{{.Id}}', name)
  return result.code === 0 ? result.stdout.trim() : undefined
}

/**
 * Makes `node:<tag>` resolve to an image: Docker Hub's own where it can be pulled or is already
 * here, else the stand-in for `standInFor` (built once, then taken from podman's store), tagged
 * with Docker Hub's name until the teardown. Says which it used.
 */
export async function provideBase (t: Teardown, image: string, standInFor: { image: string, nodeVersion: string }): Promise<'docker.io' | 'stand-in'> {
  const name = dockerHub(image)
  const standIn = standInName(standInFor.image)
  const pulled = await podman('pull', '--quiet', name)
  const present = await imageId(name)
  if (pulled.code === 0 || (present !== undefined && present !== await imageId(standIn))) return 'docker.io'
  t.comment(`${name} cannot be pulled (${pulled.stderr.trim().split('\n').at(-1) ?? ''}): using the stand-in ${standIn}`)
  if (await imageId(standIn) === undefined) {
    const started = Date.now()
    const code = await passThrough('bash', [join(ROOT, 'scripts/container/stand-in-base.sh'), standIn, standInFor.nodeVersion])
    if (code !== 0) throw new Error(`building the stand-in ${standIn} failed (exit ${code})`)
    t.comment(`built the stand-in ${standIn} in ${seconds(Date.now() - started)}`)
  }
  await must('tag', standIn, name)
  t.teardown(async () => { await podman('untag', name, name) })
  return 'stand-in'
}

/** Host paths that mean nothing inside a build; the CA bundle goes in as its own secret. */
const HOST_ONLY_NPM_KEYS = new Set(['cafile', 'capath', 'nodedir', 'prefix', 'cache', 'globalconfig', 'userconfig', 'init-module'])

/**
 * The build secrets from this machine's npm configuration: `npmrc`, its user configuration without
 * host paths and with the registry npm resolves to, and `ca`, the CA bundle npm or Node is told to
 * trust. Each is a copy that starts with a comment line holding a marker the layer check looks for
 * (PEM readers skip text outside the certificates).
 */
export async function buildSecrets (dir: string): Promise<{ args: string[], markers: Record<string, string> }> {
  const config = async (key: string) => (await exec('npm', ['config', 'get', key])).stdout.trim()
  const markers: Record<string, string> = {}
  const args: string[] = []
  const addSecret = (id: string, lines: string[]) => {
    const file = join(dir, id)
    markers[id] = `calypso-mock-build-secret-${id}-${process.pid}-${Date.now()}`
    writeFileSync(file, [`# ${markers[id]}`, ...lines].join('\n'), { mode: 0o600 })
    args.push('--secret', `id=${id},src=${file}`)
  }
  const userconfig = await config('userconfig')
  const lines = existsSync(userconfig) ? readFileSync(userconfig, 'utf8').split('\n') : []
  addSecret('npmrc', [...lines.filter((line) => !HOST_ONLY_NPM_KEYS.has(line.split('=')[0]!.trim())), `registry=${await config('registry')}`, ''])
  const ca = [await config('cafile'), process.env.NODE_EXTRA_CA_CERTS].find((file) => file !== undefined && file !== '' && file !== 'null' && existsSync(file))
  if (ca !== undefined) addSecret('ca', [readFileSync(ca, 'utf8')])
  return { args, markers }
}

/**
 * Every file path in each layer an image has above its base (`podman save`'s docker-archive), and
 * which of the given strings those layers' bytes contain.
 */
export async function layerContents (image: string, base: string, dir: string, strings: string[]): Promise<{ layers: number, paths: string[], found: string[] }> {
  const baseLayers = Number(await must('image', 'inspect', '--format', '{{len .RootFS.Layers}}', base))
  mkdirSync(dir, { recursive: true })
  const archive = join(dir, 'image.tar')
  await must('save', '--format', 'docker-archive', '--output', archive, image)
  const unpacked = join(dir, 'unpacked')
  mkdirSync(unpacked)
  const untar = await exec('tar', ['-xf', archive, '-C', unpacked])
  if (untar.code !== 0) throw new Error(`tar: ${untar.stderr}`)
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Array<{ Layers: string[] }>
  const layers = manifest[0]!.Layers.slice(baseLayers).map((layer) => join(unpacked, layer))
  const paths: string[] = []
  for (const layer of layers) {
    const listed = await exec('tar', ['-tf', layer])
    if (listed.code !== 0) throw new Error(`tar -tf ${layer}: ${listed.stderr}`)
    paths.push(...listed.stdout.split('\n').filter((path) => path !== ''))
  }
  const found: string[] = []
  for (const string of strings) {
    const grep = await exec('grep', ['-a', '-F', '-q', '-e', string, ...layers])
    if (grep.code === 0) found.push(string)
  }
  return { layers: layers.length, paths, found }
}

export function seconds (ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

/** Polls `probe` every 100 ms until it returns a value, or throws once `deadlineMs` has passed. */
export async function waitFor<T> (what: string, deadlineMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + deadlineMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (err) {
      lastError = err
    }
    if (Date.now() > until) throw new Error(`${what}: not within ${seconds(deadlineMs)}${lastError === undefined ? '' : ` (${String(lastError)})`}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
