/**
 * `npm run bench [-- --only name,name]`: measures the built server (node dist/server.js) as a
 * separate process, beside reference servers run in the same scenario, interleaved with it. Each
 * scenario's figures go into bench/results.json with the date, machine and load they ran at;
 * bench/results.md is written from all of them. Scenarios: SCENARIOS below.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { DOCS_API_SECRET } from '../src/demo-credentials.js'
import { measureBacklogs } from './backlog.js'
import { measureDepositToWebhook } from './deposit-to-webhook.js'
import { interleave, load, median } from './interleave.js'
import { measureOpenPolls } from './open-polls.js'
import { profileCreate, profileTable } from './profile.js'
import { seedCustomers } from './seed.js'
import { startServer } from './server-process.js'
import { call, signedRequest, startUpOnce } from './start-up.js'
import { measureSustained } from './sustained.js'
import { measureSnapshotRestore } from './snapshot-restore.js'
import { measureSynchronous, synchronousRows } from './synchronous.js'

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
let scratch = ''
const RESULTS_JSON = new URL('./results.json', import.meta.url)

/** A reference server from bench/ (the bare ceiling, or the floor of a durable signed create), started as its own process. */
async function referenceServer (script: string, args: string[] = []) {
  return await startServer({}, [fileURLToPath(new URL(script, import.meta.url)), ...args])
}

/** Spawn to the first answered request, the mock (a signed create) and a bare node:http server in turn. */
async function startUp (runs = 9) {
  const mock: number[] = []
  const bare: number[] = []
  for (let i = 0; i < runs; i++) {
    mock.push(await startUpOnce(join(scratch, `startup-${i}.db`)))
    const started = performance.now()
    const server = await referenceServer('./bare-server.mjs')
    await (await fetch(server.url)).text()
    bare.push(Math.round(performance.now() - started))
    await server.stop()
  }
  const ratio = Math.round(100 * median(mock) / median(bare)) / 100
  return { runs, mockMs: median(mock), bareMs: median(bare), ratio, mockRunsMs: mock, bareRunsMs: bare, met: ratio <= 2 }
}

/** The signed create on the mock, the floor and the bare server, interleaved round by round; then the other calls on the mock alone. */
async function throughput () {
  const server = await startServer({ DATABASE_PATH: join(scratch, 'throughput.db') })
  const floor = await referenceServer('./floor-server.mjs', [join(scratch, 'floor.db'), DOCS_API_SECRET])
  const bare = await referenceServer('./bare-server.mjs')
  try {
    const customer = await call(server.url, 'customer-purse/customer/create', { email: 'bench@example.com' })
    await call(server.url, 'customer-purse/address/get', { customerId: customer.id, currency: 'USDT_TRX' })
    const create = signedRequest('customer-purse/customer/create', { email: 'load@example.com', description: 'bench' })
    const side = await interleave({ mock: server.url, floor: floor.url, bare: bare.url }, create, 10, ROUNDS, DURATION_S)
    const ratios = side.runs.mock!.map((l, i) => Math.round(100 * l.rps / side.runs.floor![i]!.rps))
    const others = {
      createC50: await load(server.url, create, 50, DURATION_S),
      blockC10: await load(server.url, signedRequest('customer-purse/customer/block', { customerId: customer.id }), 10, DURATION_S),
      addressGetC10: await load(server.url, signedRequest('customer-purse/address/get', { customerId: customer.id, currency: 'USDT_TRX' }), 10, DURATION_S)
    }
    // Each round's mock and floor ran back to back: the median of the rounds' ratios, not the ratio of two medians from different rounds.
    const createVsFloorPct = median(ratios)
    return { rounds: ROUNDS, seconds: DURATION_S, median: side.median, createVsFloorPct, roundRatiosPct: ratios, floorVsBarePct: Math.round(100 * side.median.floor!.rps / side.median.bare!.rps), others, met: createVsFloorPct >= 85 }
  } finally {
    await server.stop()
    await floor.stop()
    await bare.stop()
  }
}

async function memoryAt100k () {
  const server = await startServer({ DATABASE_PATH: join(scratch, 'memory.db') })
  const request = signedRequest('customer-purse/customer/create', { email: 'many@example.com' })
  const result = await autocannon({ url: server.url, connections: 20, amount: 100_000, requests: [request] })
  const rssMb = Math.round(server.rssMb())
  await server.stop()
  return { customers: result['2xx'], non2xx: result.non2xx, rssMb, met: rssMb <= 120 }
}

/** Create and block latency on a database of 1 000 customers, then of 1 000 000. */
async function growth () {
  type Pair = { create: Awaited<ReturnType<typeof load>>, block: Awaited<ReturnType<typeof load>> }
  const out: Record<'k1' | 'm1', Pair> = {} as Record<'k1' | 'm1', Pair>
  for (const size of [1_000, 1_000_000]) {
    const path = join(scratch, `growth-${size}.db`)
    const someId = seedCustomers(path, size)
    const server = await startServer({ DATABASE_PATH: path })
    const create = await load(server.url, signedRequest('customer-purse/customer/create', { email: 'g@example.com' }), 10, DURATION_S)
    const block = await load(server.url, signedRequest('customer-purse/customer/block', { customerId: someId }), 10, DURATION_S)
    out[size === 1_000 ? 'k1' : 'm1'] = { create, block }
    await server.stop()
  }
  const ratio = (a: { p99: number }, b: { p99: number }) => Math.max(a.p99, 0.01) / Math.max(b.p99, 0.01)
  const growthRatio = Math.round(100 * Math.max(ratio(out.m1.create, out.k1.create), ratio(out.m1.block, out.k1.block))) / 100
  return { k1: out.k1, m1: out.m1, growthRatio, met: growthRatio <= 1.5 }
}

async function depositToWebhook () {
  const d = await measureDepositToWebhook(join(scratch, 'deposits.db'), 1000)
  return { ...d, met: d.last.p99 <= 20 && d.unverified === 0 }
}

async function openPolls () {
  const p = await measureOpenPolls(join(scratch, 'polls.db'))
  return { ...p, met: p.notifyMs.p99 < 1 && p.stillOpen === p.polls }
}

async function backlog () {
  const runs = await measureBacklogs(scratch)
  const ratio = Math.round(100 * runs[2]!.cpuPerDeliveryMs / runs[0]!.cpuPerDeliveryMs) / 100
  return { runs, ratio100kTo1k: ratio, met: ratio <= 1.5 }
}

async function sustained () {
  const s = await measureSustained(join(scratch, 'sustained.db'), Number(process.env.BENCH_SUSTAINED_S ?? 60))
  return { ...s, met: s.drainedWithinLimit && s.rssBackWithin20Pct && s.errors === 0 }
}

async function synchronous () {
  return measureSynchronous(scratch, DURATION_S)
}

async function snapshotRestore () {
  const r = await measureSnapshotRestore()
  return { ...r, met: r.restoreAfterChangesMs.median <= 50 }
}

async function profile () {
  const p = await profileCreate(scratch)
  return { ...p, table: profileTable(p) }
}

/** Every scenario, in the order `npm run bench` runs them. */
const SCENARIOS = { startup: startUp, throughput, 'deposit-to-webhook': depositToWebhook, 'open-polls': openPolls, memory: memoryAt100k, growth, backlog, sustained, synchronous, 'snapshot-restore': snapshotRestore, profile } as const
type Scenario = keyof typeof SCENARIOS

interface Ran { date: string, machine: string, node: string, load: string, seconds: number, result: Record<string, unknown> & { met?: boolean } }
type Results = Partial<Record<Scenario, Ran>>

const machine = () => `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`
const loadNow = () => loadavg()[0]!.toFixed(1)

function readResults (): Results {
  if (!existsSync(RESULTS_JSON)) return {}
  const parsed = JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as { scenarios?: Results }
  return parsed.scenarios ?? {}
}

/** One table: every row says when, where and at what load its scenario ran. */
function markdown (results: Results): string {
  const rows: string[][] = []
  const met = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : '**missed**')
  const add = (scenario: Scenario, measure: string, result: string, target = '', ok?: boolean) => {
    const ran = results[scenario]
    if (ran === undefined) return
    rows.push([measure, result, target, met(ok), `${ran.date}, ${ran.machine}, Node ${ran.node}, load ${ran.load}`])
  }
  const r = <T>(scenario: Scenario) => results[scenario]?.result as T
  const l = (x: { rps: number, p50: number, p99: number }) => `${x.rps} req/s, p50 ${x.p50} ms, p99 ${x.p99} ms`
  if (results.startup !== undefined) {
    const s = r<Awaited<ReturnType<typeof startUp>>>('startup')
    add('startup', `Start-up, spawn to first answered request (median of ${s.runs}, interleaved): mock (signed create) / bare node:http`, `${s.mockMs} / ${s.bareMs} ms = ${s.ratio}x`, '≤ 2x', s.met)
  }
  if (results.throughput !== undefined) {
    const t = r<Awaited<ReturnType<typeof throughput>>>('throughput')
    add('throughput', `Signed customer/create vs the floor, 10 connections: the median of ${t.rounds} interleaved rounds of ${t.seconds} s (each round's ratio: ${t.roundRatiosPct.join(', ')} %)`, `${t.createVsFloorPct} %`, '≥ 85 % (stretch 90 %)', t.met)
    add('throughput', 'Signed customer/create, 10 connections (its median round)', l(t.median.mock!))
    add('throughput', 'Floor: node:http + HMAC + JSON.parse + one grouped SQLite insert, 10 connections (its median round)', l(t.median.floor!))
    add('throughput', `Bare node:http, fixed JSON (ceiling), 10 connections (same rounds; floor = ${t.floorVsBarePct} % of it)`, l(t.median.bare!))
    add('throughput', 'Signed customer/create, 50 connections', l(t.others.createC50))
    add('throughput', 'Signed customer/block, 10 connections', l(t.others.blockC10), 'p99 < 10 ms', t.others.blockC10.p99 < 10)
    add('throughput', 'Signed address/get, 10 connections', l(t.others.addressGetC10), 'p99 < 10 ms', t.others.addressGetC10.p99 < 10)
  }
  if (results['deposit-to-webhook'] !== undefined) {
    const d = r<Awaited<ReturnType<typeof depositToWebhook>>>('deposit-to-webhook')
    add('deposit-to-webhook', `Deposit to last verified webhook (4th event), ${d.deposits} deposits one after another`, `p50 ${d.last.p50} ms, p99 ${d.last.p99} ms (first event p50 ${d.first.p50}, p99 ${d.first.p99}; unverified ${d.unverified})`, 'p99 ≤ 20 ms', d.met)
  }
  if (results['open-polls'] !== undefined) {
    const p = r<Awaited<ReturnType<typeof openPolls>>>('open-polls')
    add('open-polls', '100 open /_mock/webhooks/wait polls over 10 000 delivered events: the waiters\' work per delivered webhook', `p50 ${p.notifyMs.p50} ms, p99 ${p.notifyMs.p99} ms`, '< 1 ms', p.met)
    add('open-polls', 'Deposit to last webhook per delivery, without / with those 100 polls open', `${p.perDeliveryMs.withoutPolls} / ${p.perDeliveryMs.withPolls} ms`)
  }
  if (results.memory !== undefined) {
    const m = r<Awaited<ReturnType<typeof memoryAt100k>>>('memory')
    add('memory', `Resident memory after ${m.customers} signed creates (20 connections)`, `${m.rssMb} MB`, '≤ 120 MB', m.met)
  }
  if (results.growth !== undefined) {
    const g = r<Awaited<ReturnType<typeof growth>>>('growth')
    add('growth', 'Create / block p99 with 1 000 customers, 10 connections', `${g.k1!.create.p99} / ${g.k1!.block.p99} ms (${g.k1!.create.rps} / ${g.k1!.block.rps} req/s)`)
    add('growth', 'Create / block p99 with 1 000 000 customers, 10 connections', `${g.m1!.create.p99} / ${g.m1!.block.p99} ms (${g.m1!.create.rps} / ${g.m1!.block.rps} req/s)`, 'within 1.5x', g.met)
  }
  if (results.backlog !== undefined) {
    const b = r<Awaited<ReturnType<typeof backlog>>>('backlog')
    for (const run of b.runs) {
      add('backlog', `Drain a backlog of ${run.deliveries.toLocaleString('en-US')} due deliveries over ${run.lanes} subscriptions (after 1 000 warm-up deliveries): server CPU per delivery`, `${run.cpuPerDeliveryMs} ms (${run.perSecond}/s, ${run.drainS} s)`)
    }
    add('backlog', 'Server CPU per delivery, 100 000 backlog / 1 000 backlog', `${b.ratio100kTo1k}x`, '≤ 1.5x', b.met)
  }
  if (results.sustained !== undefined) {
    const s = r<Awaited<ReturnType<typeof sustained>>>('sustained')
    add('sustained', `Sustained: ${s.seconds} s at ${s.connections} connections of create, block, transaction/find and deposit in turn`, `${s.rps} req/s, p99 ${s.p99} ms, ${s.non2xx} non-2xx, ${s.errors} errors; server CPU ${s.serverCpuS} s`)
    add('sustained', 'Webhooks delivered during the load; pending when it ended', `${s.webhooks.deliveredDuringLoad}; ${s.webhooks.pendingAtEnd}`)
    add('sustained', 'Everything queued delivered after the load ended', s.drainedMs === null ? `no: ${s.webhooks.leftAfter120s} still pending 120 s after` : `in ${(s.drainedMs / 1000).toFixed(1)} s`, '≤ 30 s', s.drainedWithinLimit)
    add('sustained', 'Resident memory: before the load / at its end / lowest in the 10 s after draining', `${s.rssMb.start} / ${s.rssMb.endOfLoad} / ${s.rssMb.drained} MB`, '≤ 1.2x before', s.rssBackWithin20Pct)
  }
  if (results['snapshot-restore'] !== undefined) {
    const n = r<Awaited<ReturnType<typeof snapshotRestore>>>('snapshot-restore')
    add('snapshot-restore', `Restore a snapshot of ${n.rows.customers} customers with deposits (${n.rows.deliveries} deliveries) after a test's changes: wall median / p95; server CPU per restore`, `${n.restoreAfterChangesMs.median} / ${n.restoreAfterChangesMs.p95} ms; ${n.restoreAfterChangesMs.serverCpuMean} ms`, '≤ 50 ms', n.met)
    add('snapshot-restore', 'The same restore after a reset of the account (every row put back): wall median / max; server CPU per restore', `${n.restoreAfterResetMs.median} / ${n.restoreAfterResetMs.max} ms; ${n.restoreAfterResetMs.serverCpuMean} ms`)
  }
  if (results.synchronous !== undefined) {
    for (const [measure, result] of synchronousRows(r<Awaited<ReturnType<typeof synchronous>>>('synchronous'))) add('synchronous', measure as string, result as string)
  }
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (docs/benchmarks.md says how to read it). "Load" is the machine\'s 1-minute',
    'load average when the scenario started, then when it ended: on this shared machine the absolute',
    'figures move with it, the ratios between servers measured in the same rounds much less.',
    '',
    '| Measure | Result | Target | | Date, machine, load |',
    '|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`)
  ]
  if (results.profile !== undefined) {
    const p = results.profile
    lines.push('', '## Where the time of a signed create goes', '', `${p.date}, ${p.machine}, Node ${p.node}, load ${p.load}. \`npm run bench -- --only profile\` (bench/profile.ts).`, '', (p.result as { table: string }).table)
  }
  return `${lines.join('\n')}\n`
}

function scenariosFromArgs (args: string[]): Scenario[] {
  const at = args.findIndex((arg) => arg === '--only' || arg.startsWith('--only='))
  if (at === -1) return Object.keys(SCENARIOS) as Scenario[]
  const value = args[at]!.includes('=') ? args[at]!.slice('--only='.length) : args[at + 1] ?? ''
  const names = value.split(',').filter((name) => name !== '')
  const unknown = names.filter((name) => !(name in SCENARIOS))
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes scenario names separated by commas (${Object.keys(SCENARIOS).join(', ')}); ${names.length === 0 ? 'none was given' : `unknown: ${unknown.join(', ')}`}`)
  }
  return names as Scenario[]
}

async function main () {
  let chosen: Scenario[]
  try {
    chosen = scenariosFromArgs(process.argv.slice(2))
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n`)
    process.exitCode = 2
    return
  }
  scratch = mkdtempSync(join(tmpdir(), 'calypso-mock-bench-'))
  const results = readResults()
  const started = performance.now()
  try {
    for (const name of chosen) {
      process.stderr.write(`bench: ${name} (load ${loadNow()})\n`)
      const at = performance.now()
      const loadBefore = loadNow()
      const result = await SCENARIOS[name]()
      results[name] = { date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', machine: machine(), node: process.versions.node, load: `${loadBefore}→${loadNow()}`, seconds: Math.round((performance.now() - at) / 1000), result }
      writeFileSync(RESULTS_JSON, `${JSON.stringify({ scenarios: results }, null, 2)}\n`)
      writeFileSync(new URL('./results.md', import.meta.url), markdown(results))
      process.stderr.write(`bench: ${name} took ${results[name]!.seconds} s\n`)
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
  process.stdout.write(markdown(results))
  process.stderr.write(`bench: ${chosen.join(', ')} took ${Math.round((performance.now() - started) / 1000)} s\n`)
}

await main()
