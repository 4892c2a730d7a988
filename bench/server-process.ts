import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BUNDLE_FILE, codeCacheFile, SERVER_V8_FLAGS } from '../src/bundle-loader.js'

export const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url))

export interface RunningServer {
  child: ChildProcess
  url: string
  /** Milliseconds from spawn until the server printed its URL. */
  listeningMs: number
  stop: () => Promise<void>
  rssMb: () => number
}

/**
 * Starts `node dist/server.js` (or another build's `server`, or a script given with its
 * arguments) as its own process, as `npm start` and the container do; `nodeArgs` go to node itself,
 * after `npm start`'s V8 flags when the script is a build that has a code cache for them. An older
 * build (bench/startup-compare.ts) runs as its own `npm start` did, without them: under them V8
 * would refuse its one code cache and its start-up would pay for a compile it never made.
 */
export async function startServer (env: Record<string, string>, server: string | string[] = SERVER, nodeArgs: string[] = []): Promise<RunningServer> {
  const script = typeof server === 'string' ? server : server[0] ?? ''
  if (existsSync(codeCacheFile(join(dirname(script), BUNDLE_FILE), SERVER_V8_FLAGS))) nodeArgs = [...SERVER_V8_FLAGS, ...nodeArgs]
  const started = performance.now()
  const child = spawn(process.execPath, [...nodeArgs, ...(typeof server === 'string' ? [server] : server)], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (http:\/\/[^\s)"]+)/.exec(out)
      if (match?.[1] !== undefined) {
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)))
  })
  const listeningMs = performance.now() - started
  return {
    child,
    url,
    listeningMs,
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    },
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      return kb / 1024
    }
  }
}
