import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from '../helper.js'
import { ROOT, healthcheckArgv, readDockerfile } from './dockerfile-parser.js'

/**
 * No Docker engine here, so this runs exactly what the image runs: its CMD, from a folder laid out
 * like its /app (dist, migrations, package.json), with its ENV (a free port instead of 8080, a
 * temporary folder for /data), then its HEALTHCHECK command, then a SIGTERM as `docker stop` sends.
 */
t.test('the image\'s CMD serves, passes its HEALTHCHECK, stops cleanly on SIGTERM and restarts on its volume', async (t) => {
  mkdirSync(join(ROOT, 'tmp'), { recursive: true })
  const app = mkdtempSync(join(ROOT, 'tmp', 'image-app-'))
  t.teardown(() => rmSync(app, { recursive: true, force: true }))
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(app, 'dist')])
  for (const entry of ['package.json', 'migrations']) cpSync(join(ROOT, entry), join(app, entry), { recursive: true })

  const runtime = readDockerfile().at(-1)!
  const env = Object.fromEntries(runtime.filter((i) => i.keyword === 'ENV')
    .flatMap((i) => i.args.split(/\s+/))
    .map((pair) => pair.split('=') as [string, string]))
  const cmd = JSON.parse(runtime.find((i) => i.keyword === 'CMD')!.args) as string[]
  const data = tempDir(t)
  const imageEnv = { ...env, PORT: '0', DATABASE_PATH: join(data, 'calypso-mock.db'), PATH: process.env.PATH ?? '' }
  t.equal(env.HOST, '0.0.0.0')

  const start = async () => {
    const child = spawn(cmd[0] === 'node' ? process.execPath : cmd[0]!, cmd.slice(1), { cwd: app, env: imageEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    t.teardown(() => { child.kill('SIGKILL') })
    let out = ''
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /listening on http:\/\/[^:]+:(\d+)/.exec(out)
        if (match?.[1] !== undefined) resolve(match[1])
      })
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)))
    })
    return { child, port }
  }
  const healthcheck = (port: string) => {
    const argv = healthcheckArgv(runtime)
    return new Promise<number | null>((resolve) => {
      const probe = spawn(process.execPath, argv.slice(1), { env: { ...imageEnv, PORT: port }, stdio: 'ignore' })
      probe.once('exit', resolve)
    })
  }

  const first = await start()
  t.equal(await healthcheck(first.port), 0, 'the HEALTHCHECK passes')
  t.equal(await healthcheck('1'), 1, 'and fails when nothing answers')
  first.child.kill('SIGTERM')
  const [code] = await once(first.child, 'exit') as [number | null]
  t.equal(code, 0, 'SIGTERM: a clean exit')
  t.ok(existsSync(join(data, 'calypso-mock.db')), 'the database is on the volume')

  const second = await start()
  t.equal(await healthcheck(second.port), 0, 'a restart on the same volume is healthy')
})
