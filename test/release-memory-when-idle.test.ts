import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { SERVER_V8_FLAGS } from '../src/bundle-loader.js'
import { BUSY_SHARE, COLLECTIONS_OWED, IDLE_SHARE, MEMORY_RELEASED, releaseMemoryWhenIdle } from '../src/release-memory-when-idle.js'
import { builtDist } from './support/built-dist.js'
import { killAfter } from './support/scratch.js'
import { signedFetch } from './support/signed-fetch.js'
import { scaled } from './support/time-scale.js'

const BUSY = BUSY_SHARE
const IDLE = IDLE_SHARE / 2
const BETWEEN = (BUSY_SHARE + IDLE_SHARE) / 2

/**
 * Runs the release over the given windows' utilization, one window every millisecond, and resolves
 * once every window was read, with the window after which each collection was made.
 */
function collectionsOver (shares: number[], active?: () => boolean): Promise<{ collectedAfter: number[], reads: number }> {
  const collectedAfter: number[] = []
  let reads = 0
  // The release's timer does not hold a process open; this test's must.
  const hold = setInterval(() => {}, 1000)
  return new Promise((resolve) => {
    const stop = releaseMemoryWhenIdle({
      windowMs: 1,
      active,
      collect: () => { collectedAfter.push(reads) },
      utilization: () => {
        const share = shares[reads++] as number
        if (reads === shares.length) setImmediate(() => { stop(); clearInterval(hold); resolve({ collectedAfter, reads }) })
        return share
      }
    })
  })
}

t.test('after a busy window, the next idle windows each make one collection, as many as are owed', async (t) => {
  const { collectedAfter } = await collectionsOver([IDLE, BUSY, IDLE, IDLE, IDLE, IDLE])
  t.equal(COLLECTIONS_OWED, 2)
  t.same(collectedAfter, [3, 4], 'the two idle windows after the busy one; none before it, none more after')
})

t.test('a window neither busy nor idle neither owes nor collects; a busy one owes them all again', async (t) => {
  const { collectedAfter } = await collectionsOver([BUSY, BETWEEN, IDLE, BUSY, BETWEEN, IDLE, IDLE, IDLE])
  t.same(collectedAfter, [3, 6, 7])
})

t.test('a server that was never busy is never collected', async (t) => {
  const { collectedAfter } = await collectionsOver([IDLE, BETWEEN, IDLE, IDLE])
  t.same(collectedAfter, [])
})

t.test('once it is no longer active it stops reading and collecting', async (t) => {
  let windows = 0
  const hold = setInterval(() => {}, 1000)
  t.teardown(() => clearInterval(hold))
  const stopped = new Promise<number>((resolve) => {
    releaseMemoryWhenIdle({
      windowMs: 1,
      active: () => {
        if (++windows <= 2) return true
        setTimeout(() => resolve(windows), 20)
        return false
      },
      collect: () => t.fail('collected after the server closed'),
      utilization: () => BUSY
    })
  })
  t.equal(await stopped, 3, 'asked once more, then never again')
})

t.test('the server under npm start\'s flags gives memory back after a burst, once idle', async (t) => {
  const child = spawn(process.execPath, [...SERVER_V8_FLAGS, join(builtDist(), 'server.js')], {
    env: { PATH: process.env.PATH, PORT: '0', DATABASE_PATH: ':memory:', LOG_LEVEL: 'debug', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  killAfter(t, child)
  let out = ''
  const watchers = new Set<() => void>()
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    for (const watch of watchers) watch()
  })
  const seen = (pattern: RegExp, count = 1) => new Promise<RegExpMatchArray[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not seen ${count} times: ${pattern}\n${out.slice(-2000)}`)), scaled(30_000))
    const look = () => {
      const matches = [...out.matchAll(new RegExp(pattern, 'g'))]
      if (matches.length < count) return
      clearTimeout(timer)
      watchers.delete(look)
      resolve(matches)
    }
    watchers.add(look)
    look()
  })
  const [listening] = await seen(/listening on (http:\/\/[^\s)"]+)/)
  const url = listening![1] as string
  // A burst long enough that at least one second of it keeps the server's loop busy.
  const until = performance.now() + 2500
  await Promise.all(Array.from({ length: 20 }, async () => {
    while (performance.now() < until) await signedFetch(url, 'customer-purse/customer/create', {})
  }))
  const lines = await seen(new RegExp(`\\{[^\\n]*"msg":"${MEMORY_RELEASED}"[^\\n]*\\}`), COLLECTIONS_OWED)
  for (const [line] of lines) t.match(JSON.parse(line) as unknown, { level: 20, ms: Number, rssMb: Number, msg: MEMORY_RELEASED })
})
