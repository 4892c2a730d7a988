import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { builtDist } from './built-dist.js'
import { killAfter } from './scratch.js'

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/**
 * Starts the built server (dist/server.js, which `npm test` builds once) in a plain node, as
 * `npm start` runs it; killed after the test. `entry` names another built server.js.
 */
export function startServerProcess (t: Teardown, env: Record<string, string>, args: string[] = [], entry?: string) {
  const child = spawn(process.execPath, [entry ?? join(builtDist(), 'server.js'), ...args], {
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  killAfter(t, child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>
  const listening = new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /listening on (http:\/\/[^\s)"]+)/.exec(stdout)
      if (match?.[1] !== undefined) resolve(match[1])
    }
    child.stdout.on('data', look)
    void exited.then(([code]) => reject(new Error(`exited with ${code}: ${stderr}`)))
  })
  // A caller that only looks at the exit must not see an unhandled rejection.
  listening.catch(() => {})
  return { child, listening, exited, output: () => ({ stdout, stderr }) }
}

/** Starts the server process and resolves with its URL once it listens; its output is drained. */
export async function startListeningServer (t: Teardown, env: Record<string, string>): Promise<{ child: ReturnType<typeof spawn>, url: string }> {
  const server = startServerProcess(t, env)
  const url = await server.listening
  server.child.stdout.resume()
  return { child: server.child, url }
}
