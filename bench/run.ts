/**
 * `npm run bench`: measures the built server (node dist/server.js) as a separate process, beside
 * a bare node:http server as the ceiling. Writes bench/results.json and bench/results.md, and
 * copies the table into the README between its bench markers.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { DOCS_API_SECRET } from '../src/demo-credentials.js'
import { measureDepositToWebhook } from './deposit-to-webhook.js'
import { measureOpenPolls } from './open-polls.js'
import { seedCustomers } from './seed.js'
import { startServer, type RunningServer } from './server-process.js'
import { call, median, signedRequest, startUpOnce } from './start-up.js'

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5)
const scratch = mkdtempSync(join(tmpdir(), 'calypso-mock-bench-'))

interface Load { rps: number, p50: number, p99: number, errors: number, non2xx: number }

async function load (url: string, request: ReturnType<typeof signedRequest>, connections: number, duration = DURATION_S): Promise<Load> {
  const result = await autocannon({ url, connections, duration, pipelining: 1, requests: [request] })
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx
  }
}

/** Spawn to the first answered signed request, several times. */
async function startUp (runs = 7): Promise<{ medianMs: number, runsMs: number[] }> {
  const runsMs: number[] = []
  for (let i = 0; i < runs; i++) runsMs.push(await startUpOnce(join(scratch, `startup-${i}.db`)))
  return { medianMs: median(runsMs), runsMs }
}

/** A reference server from bench/: the bare ceiling, or the floor of a durable signed create. */
async function referenceServer (script: string, args: string[] = []): Promise<RunningServer & { stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [new URL(script, import.meta.url).pathname, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve) => {
    child.stdout.once('data', (chunk: Buffer) => resolve((/listening on (\S+)/.exec(chunk.toString()) as RegExpExecArray)[1] as string))
  })
  return {
    child,
    url,
    listeningMs: 0,
    rssMb: () => 0,
    stop: async () => { child.kill('SIGTERM'); await new Promise((resolve) => child.once('exit', resolve)) }
  }
}

async function throughput () {
  const server = await startServer({ DATABASE_PATH: join(scratch, 'throughput.db') })
  const customer = await call(server.url, 'customer-purse/customer/create', { email: 'bench@example.com' })
  await call(server.url, 'customer-purse/address/get', { customerId: customer.id, currency: 'USDT_TRX' })
  const requests = {
    create: signedRequest('customer-purse/customer/create', { email: 'load@example.com', description: 'bench' }),
    block: signedRequest('customer-purse/customer/block', { customerId: customer.id }),
    addressGet: signedRequest('customer-purse/address/get', { customerId: customer.id, currency: 'USDT_TRX' })
  }
  const mock: Record<string, Record<string, Load>> = {}
  for (const [name, request] of Object.entries(requests)) {
    mock[name] = {}
    for (const connections of [10, 50]) mock[name]![`c${connections}`] = await load(server.url, request, connections)
  }
  await server.stop()

  const bare = await referenceServer('./bare-server.mjs')
  const ceiling: Record<string, Load> = {}
  for (const connections of [10, 50]) ceiling[`c${connections}`] = await load(bare.url, requests.create, connections)
  await bare.stop()

  const floorServer = await referenceServer('./floor-server.mjs', [join(scratch, 'floor.db'), DOCS_API_SECRET])
  const floor: Record<string, Load> = {}
  for (const connections of [10, 50]) floor[`c${connections}`] = await load(floorServer.url, requests.create, connections)
  await floorServer.stop()
  return { mock, bare: ceiling, floor }
}

async function memoryAt100k () {
  const server = await startServer({ DATABASE_PATH: join(scratch, 'memory.db') })
  const request = signedRequest('customer-purse/customer/create', { email: 'many@example.com' })
  const result = await autocannon({ url: server.url, connections: 20, amount: 100_000, requests: [request] })
  const rssMb = Math.round(server.rssMb())
  await server.stop()
  return { customers: result['2xx'], non2xx: result.non2xx, rssMb }
}

/** Create and block latency on a database of 1 000 customers, then of 1 000 000. */
async function growth () {
  const out: Record<string, { create: Load, block: Load }> = {}
  for (const size of [1_000, 1_000_000]) {
    const path = join(scratch, `growth-${size}.db`)
    const someId = seedCustomers(path, size)
    const server = await startServer({ DATABASE_PATH: path })
    const create = await load(server.url, signedRequest('customer-purse/customer/create', { email: 'g@example.com' }), 10)
    const block = await load(server.url, signedRequest('customer-purse/customer/block', { customerId: someId }), 10)
    out[size === 1_000 ? 'k1' : 'm1'] = { create, block }
    await server.stop()
  }
  return out
}

function table (results: ReturnType<typeof summarise>): string {
  const r = results
  const ok = (pass: boolean) => (pass ? 'met' : '**missed**')
  const rows = [
    ['Start-up: spawn to first answered signed request (median of 7)', `${r.startUp.medianMs} ms`, '< 300 ms', ok(r.targets.startUp)],
    ...(['create', 'block', 'addressGet'] as const).flatMap((name) => [10, 50].map((c) => {
      const l = r.throughput.mock[name]![`c${c}`]!
      return [`Signed ${name === 'addressGet' ? 'address/get' : `customer/${name}`}, ${c} connections`, `${l.rps} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms`, c === 10 ? 'p99 < 10 ms' : '', c === 10 ? ok(l.p99 < 10) : '']
    })),
    ...[10, 50].map((c) => {
      const l = r.throughput.bare[`c${c}`]!
      return [`Bare node:http, fixed JSON (ceiling), ${c} connections`, `${l.rps} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms`, '', '']
    }),
    ...[10, 50].map((c) => {
      const l = r.throughput.floor[`c${c}`]!
      return [`Floor: node:http + HMAC + one SQLite insert, no framework, ${c} connections`, `${l.rps} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms`, '', '']
    }),
    ['Signed create vs bare, 10 connections', `${r.createVsBarePct}%`, '≥ 50%', ok(r.targets.createVsBare)],
    ['Floor vs bare; signed create vs floor, 10 connections', `${r.floorVsBarePct}%; ${r.createVsFloorPct}%`, '', ''],
    ['Deposit to verified webhook (last of 4 events), 1000 deposits', `p50 ${r.depositToWebhook.last.p50} ms, p99 ${r.depositToWebhook.last.p99} ms (first event: p50 ${r.depositToWebhook.first.p50}, p99 ${r.depositToWebhook.first.p99})`, 'p99 < 20 ms', ok(r.targets.depositToWebhook)],
    ['100 open /_mock/webhooks/wait polls over 10 000 delivered events: the waiters\' work per delivered webhook', `p50 ${r.openPolls.notifyMs.p50} ms, p99 ${r.openPolls.notifyMs.p99} ms`, '< 1 ms', ok(r.targets.openPolls)],
    ['Deposit to last webhook per delivery, without / with those 100 polls open', `${r.openPolls.perDeliveryMs.withoutPolls} / ${r.openPolls.perDeliveryMs.withPolls} ms`, '', ''],
    ['Resident memory after 100 000 customers', `${r.memory.rssMb} MB`, '< 120 MB', ok(r.targets.memory)],
    ['Create / block p99 with 1 000 customers', `${r.growth.k1!.create.p99} / ${r.growth.k1!.block.p99} ms (${r.growth.k1!.create.rps} / ${r.growth.k1!.block.rps} req/s)`, '', ''],
    ['Create / block p99 with 1 000 000 customers', `${r.growth.m1!.create.p99} / ${r.growth.m1!.block.p99} ms (${r.growth.m1!.create.rps} / ${r.growth.m1!.block.rps} req/s)`, 'within 1.5x', ok(r.targets.growth)]
  ]
  return [
    `Measured ${r.date} on ${r.machine} (Node ${process.versions.node}), ${DURATION_S} s per load, autocannon in a separate process from the server.`,
    '',
    '| Measure | Result | Target | |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`)
  ].join('\n')
}

function summarise (start: Awaited<ReturnType<typeof startUp>>, t: Awaited<ReturnType<typeof throughput>>, depositToWebhook: Awaited<ReturnType<typeof measureDepositToWebhook>>, openPolls: Awaited<ReturnType<typeof measureOpenPolls>>, memory: Awaited<ReturnType<typeof memoryAt100k>>, g: Awaited<ReturnType<typeof growth>>) {
  const createVsBarePct = Math.round(100 * t.mock.create!.c10!.rps / t.bare.c10!.rps)
  const floorVsBarePct = Math.round(100 * t.floor.c10!.rps / t.bare.c10!.rps)
  const createVsFloorPct = Math.round(100 * t.mock.create!.c10!.rps / t.floor.c10!.rps)
  const ratio = (a: Load, b: Load) => Math.max(a.p99, 0.01) / Math.max(b.p99, 0.01)
  const growthRatio = Math.max(ratio(g.m1!.create, g.k1!.create), ratio(g.m1!.block, g.k1!.block))
  return {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
    startUp: start,
    throughput: t,
    createVsBarePct,
    floorVsBarePct,
    createVsFloorPct,
    depositToWebhook,
    openPolls,
    memory,
    growth: g,
    growthRatio: Math.round(growthRatio * 100) / 100,
    targets: {
      startUp: start.medianMs < 300,
      createVsBare: createVsBarePct >= 50,
      p99At10: (['create', 'block', 'addressGet'] as const).every((n) => t.mock[n]!.c10!.p99 < 10),
      depositToWebhook: depositToWebhook.last.p99 < 20,
      openPolls: openPolls.notifyMs.p99 < 1 && openPolls.stillOpen === openPolls.polls,
      memory: memory.rssMb < 120,
      growth: growthRatio <= 1.5
    }
  }
}

async function main () {
  const log = (message: string) => process.stderr.write(`bench: ${message}\n`)
  log('start-up'); const s = await startUp()
  log('throughput'); const t = await throughput()
  log('deposit to webhook'); const d = await measureDepositToWebhook(join(scratch, 'deposits.db'), 1000)
  log('open long polls'); const p = await measureOpenPolls(join(scratch, 'polls.db'))
  log('memory at 100 000 customers'); const m = await memoryAt100k()
  log('growth to 1 000 000 customers'); const g = await growth()
  const results = summarise(s, t, d, p, m, g)
  const markdown = table(results)
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(new URL('./results.md', import.meta.url), `${markdown}\n`)
  const readmeUrl = new URL('../README.md', import.meta.url)
  try {
    const readme = readFileSync(readmeUrl, 'utf8')
    const updated = readme.replace(/(<!-- bench:start -->\n)[\s\S]*?(<!-- bench:end -->)/, `$1${markdown}\n$2`)
    if (updated !== readme) writeFileSync(readmeUrl, updated)
  } catch {}
  process.stdout.write(`${markdown}\n`)
  rmSync(scratch, { recursive: true, force: true })
}

await main()
