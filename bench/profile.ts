/**
 * Where the time of a signed customer/create goes, in the mock and in the floor server: each runs
 * under `node --cpu-prof` while autocannon loads it, one after the other in the same run. Every
 * sample is charged to the first frame, from the leaf up, that a rule below names; the table gives
 * microseconds of CPU per answered request. The profiles are kept for a flame graph (Chrome
 * DevTools, speedscope) when BENCH_PROFILE_DIR names a folder.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { DOCS_API_SECRET } from '../src/demo-credentials.js'
import { startServer } from './server-process.js'
import { signedRequest } from './start-up.js'

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number }
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** What a frame is, from the leaf up: the first rule whose test matches names the sample's part. */
const floor = (url: string, fn: string, names: RegExp) => url.includes('floor-server') && names.test(fn)
const RULES: Array<[string, (url: string, fn: string) => boolean]> = [
  ['garbage collection', (_url, fn) => fn === '(garbage collector)'],
  ['idle', (_url, fn) => fn === '(idle)'],
  ['logging (pino)', (url) => /\/(pino|pino-std-serializers|sonic-boom|thread-stream)\//.test(url) || url.includes('/plugins/request-log.') || url.includes('/log-destination.')],
  ['journal (/_mock/requests)', (url) => url.includes('/journal/') || url.includes('/plugins/request-journal.')],
  ['body: strictness scans (duplicate keys, lone surrogates)', (url) => url.includes('/json/')],
  ['body: UTF-8 check and JSON.parse', (url, fn) => url.includes('/plugins/json-body.') || url.includes('fastify/lib/contentTypeParser') || floor(url, fn, /^parse$/)],
  ['auth: key, HMAC-SHA512, timestamp', (url, fn) => url.includes('/auth/') || floor(url, fn, /^verify$/)],
  ['SQL (better-sqlite3, repositories, group commit)', (url, fn) => url.includes('/store/') || url.includes('better-sqlite3') || floor(url, fn, /^(insertAll|flush)$/)],
  ['domain (ids, customers)', (url) => url.includes('/domain/')],
  ['response: serialise and write', (url, fn) => (url.includes('fastify-type-provider-zod') && /serial/i.test(fn)) || url.includes('fast-json-stringify') || url.includes('fastify/lib/reply') || floor(url, fn, /^answer$/)],
  ['validation (zod)', (url) => url.includes('/zod/') || url.includes('fastify-type-provider-zod') || url.includes('/schemas/')],
  ['routes and other plugins', (url) => url.includes('/dist/') && !url.includes('node_modules')],
  ['Fastify (routing, hooks, request and reply objects)', (url) => /\/(fastify|find-my-way|avvio|fastq|@fastify)\//.test(url)],
  ['node:http, sockets, the rest of the handler', (url) => url.startsWith('node:') || url === '' || url.includes('floor-server')],
  ['(program): V8 and native code outside JavaScript', (_url, fn) => fn === '(program)'],
  ['other', () => true]
]

/** Microseconds of CPU by part, over the samples taken between `from` and `to` (the profile's own clock, CLOCK_MONOTONIC). */
function categorise (profile: CpuProfile, from: number, to: number): Map<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const partOf = new Map<number, string>()
  const part = (id: number): string => {
    const known = partOf.get(id)
    if (known !== undefined) return known
    // Node's own frames (empty url or node:) stand for whatever called them, unless nothing above names a part.
    let found: string | undefined
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { url, functionName } = (byId.get(at) as ProfileNode).callFrame
      if (url.startsWith('node:') || (url === '' && !functionName.startsWith('('))) continue
      const rule = RULES.find(([, test]) => test(url, functionName))
      if (rule !== undefined && rule[0] !== 'other') { found = rule[0]; break }
    }
    if (found === undefined) {
      const { url, functionName } = (byId.get(id) as ProfileNode).callFrame
      found = (RULES.find(([, test]) => test(url, functionName)) as [string, unknown])[0]
    }
    partOf.set(id, found)
    return found
  }
  const totals = new Map<string, number>()
  let at = profile.startTime
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0
    at += delta
    if (at < from || at > to) return
    const name = part(id)
    totals.set(name, (totals.get(name) ?? 0) + delta)
  })
  return totals
}

/** CLOCK_MONOTONIC in microseconds: the clock of V8's profile timestamps on Linux. */
const microseconds = () => Number(process.hrtime.bigint() / 1000n)

/** Runs `args` under --cpu-prof, loads it with the signed create for `seconds`, stops it; returns the profile and the requests answered. */
async function profileServer (args: string[], env: Record<string, string>, seconds: number, dir: string) {
  mkdirSync(dir, { recursive: true })
  const { url, stop } = await startServer(env, args, ['--cpu-prof', `--cpu-prof-dir=${dir}`])
  const request = signedRequest('customer-purse/customer/create', { email: 'load@example.com', description: 'bench' })
  // A warm-up, then the measured load: only the samples taken during the latter are counted.
  await autocannon({ url, connections: 10, duration: 2, requests: [request] })
  const from = microseconds()
  const result = await autocannon({ url, connections: 10, duration: seconds, requests: [request] })
  const to = microseconds()
  await stop()
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile')) as string
  return { profile: JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, requests: result.requests.total, from, to, rps: Math.round(result.requests.average), file: join(dir, file) }
}

/** `entry` starts the server to profile: this build's dist/main.js by default, or another build's copy of profile-entry.mjs. */
export async function profileCreate (scratch: string, seconds = 10, entry = fileURLToPath(new URL('./profile-entry.mjs', import.meta.url))) {
  const keep = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'calypso-mock-profile-'))
  const floor = fileURLToPath(new URL('./floor-server.mjs', import.meta.url))
  const run = `${Date.now()}-${process.pid}`
  const mock = await profileServer([entry], { DATABASE_PATH: join(scratch, `profile-mock-${run}.db`) }, seconds, join(keep, `mock-${run}`))
  const floorRun = await profileServer([floor, join(scratch, `profile-floor-${run}.db`), DOCS_API_SECRET], {}, seconds, join(keep, `floor-${run}`))
  const perRequest = (run: typeof mock) => {
    const totals = categorise(run.profile, run.from, run.to)
    return Object.fromEntries([...totals].filter(([name]) => name !== 'idle').map(([name, us]) => [name, Math.round(10 * us / run.requests) / 10]))
  }
  return {
    seconds,
    mock: { rps: mock.rps, requests: mock.requests, usPerRequest: perRequest(mock), profile: mock.file },
    floor: { rps: floorRun.rps, requests: floorRun.requests, usPerRequest: perRequest(floorRun), profile: floorRun.file }
  }
}

export function profileTable (p: Awaited<ReturnType<typeof profileCreate>>): string {
  const parts = RULES.map(([name]) => name).filter((name) => name !== 'idle')
  const total = (per: Record<string, number>) => Math.round(10 * Object.values(per).reduce((a, b) => a + b, 0)) / 10
  const cell = (per: Record<string, number>, name: string) => (per[name] === undefined ? '' : `${per[name]}`)
  return [
    `CPU microseconds per signed customer/create, 10 connections, ${p.seconds} s each under --cpu-prof (mock ${p.mock.rps} req/s, floor ${p.floor.rps} req/s while profiled).`,
    '',
    '| Part | Mock µs | Floor µs |',
    '|---|---|---|',
    ...parts.filter((name) => p.mock.usPerRequest[name] !== undefined || p.floor.usPerRequest[name] !== undefined)
      .map((name) => `| ${name} | ${cell(p.mock.usPerRequest, name)} | ${cell(p.floor.usPerRequest, name)} |`),
    `| **total CPU** | **${total(p.mock.usPerRequest)}** | **${total(p.floor.usPerRequest)}** |`
  ].join('\n')
}

/** Self time by file and function, the largest first: what to read next. */
export function topFrames (file: string, count = 40): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const self = new Map<number, number>()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  const byFrame = new Map<string, number>()
  for (const node of profile.nodes) {
    const key = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${node.callFrame.lineNumber + 1}`
    byFrame.set(key, (byFrame.get(key) ?? 0) + (self.get(node.id) ?? 0))
  }
  const all = [...byFrame.values()].reduce((a, b) => a + b, 0)
  return [...byFrame].sort((a, b) => b[1] - a[1]).slice(0, count).map(([key, us]) => `${(100 * us / all).toFixed(1).padStart(5)}%  ${key}`)
}
