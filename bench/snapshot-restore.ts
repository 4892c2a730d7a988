/**
 * Restoring a snapshot of 1 000 customers with their deposits (4 webhooks each, delivered), timed
 * over HTTP against the built server: after a test's worth of changes (the common case), and after
 * a reset of the account (every row put back). Run alone: node --import tsx bench/snapshot-restore.ts
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT } from '../src/demo-credentials.js'
import { startServer } from './server-process.js'
import { call, median } from './start-up.js'

async function mock (url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/_mock/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return JSON.parse(text)
}

/** The server's CPU time so far in ms (user + system), in clock ticks of 10 ms: summed over many calls it is fair under load. */
function cpuMs (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] as number

export async function measureSnapshotRestore (customers = 1000, rounds = 21) {
  const scratch = mkdtempSync(join(tmpdir(), 'calypso-mock-bench-snapshot-'))
  const receiver = createServer((req, res) => { req.resume(); req.on('end', () => res.end('OK')) })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const server = await startServer({ DATABASE_PATH: join(scratch, 'snapshot.db'), WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` })
  try {
    for (let i = 0; i < customers; i++) {
      const customer = await call(server.url, 'customer-purse/customer/create', { email: `seed${i}@example.com` })
      await mock(server.url, 'POST', 'deposits', { customerId: customer.id, currency: 'BTC', amount: 1 })
    }
    while ((await mock(server.url, 'GET', 'webhooks/deliveries?status=pending&limit=1')).deliveries.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    let started = performance.now()
    const saved = await mock(server.url, 'POST', 'snapshots', { name: 'seeded' })
    const saveMs = performance.now() - started

    const pid = server.child.pid as number
    const cpu = { afterChanges: 0, afterReset: 0 }
    const afterChanges: number[] = []
    for (let round = 0; round < rounds; round++) {
      const customer = await call(server.url, 'customer-purse/customer/create', {})
      await call(server.url, 'customer-purse/customer/block', { customerId: customer.id })
      await mock(server.url, 'POST', 'deposits', { customerId: customer.id, currency: 'ETH', amount: 2, stopAt: 'MEM_POOL_FOUND' })
      const cpuBefore = cpuMs(pid)
      started = performance.now()
      await mock(server.url, 'POST', 'snapshots/seeded/restore', {})
      afterChanges.push(performance.now() - started)
      cpu.afterChanges += cpuMs(pid) - cpuBefore
    }
    const afterReset: number[] = []
    for (let round = 0; round < 5; round++) {
      await mock(server.url, 'POST', 'reset', { account: DEFAULT_ACCOUNT })
      const cpuBefore = cpuMs(pid)
      started = performance.now()
      await mock(server.url, 'POST', 'snapshots/seeded/restore', {})
      afterReset.push(performance.now() - started)
      cpu.afterReset += cpuMs(pid) - cpuBefore
    }
    return {
      rows: { customers: saved.customers, transactions: saved.transactions, deliveries: saved.deliveries },
      saveMs: Math.round(saveMs * 10) / 10,
      restoreAfterChangesMs: { median: Math.round(median(afterChanges) * 10) / 10, p95: Math.round(percentile(afterChanges, 0.95) * 10) / 10, serverCpuMean: Math.round(cpu.afterChanges / rounds * 10) / 10 },
      restoreAfterResetMs: { median: Math.round(median(afterReset) * 10) / 10, max: Math.round(Math.max(...afterReset) * 10) / 10, serverCpuMean: Math.round(cpu.afterReset / 5 * 10) / 10 }
    }
  } finally {
    await server.stop()
    receiver.close()
    rmSync(scratch, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureSnapshotRestore(), null, 2))
}
