/**
 * SQLITE_SYNCHRONOUS: what full durability costs. The built server on a file database, once with
 * NORMAL (the default: a commit survives a killed process) and once with FULL (an fsync of the WAL
 * at each commit: it survives an OS crash or a power cut too), under the same signed creates. One
 * connection shows the cost of each commit alone; ten show it shared by the group commit.
 */
import { join } from 'node:path'
import autocannon from 'autocannon'
import { startServer } from './server-process.js'
import { signedRequest } from './start-up.js'

interface Load { rps: number, p50: number, p99: number, non2xx: number }

const MODES = ['NORMAL', 'FULL'] as const

export async function measureSynchronous (scratch: string, durationS: number): Promise<Record<(typeof MODES)[number], Record<'c1' | 'c10', Load>>> {
  const out = {} as Record<(typeof MODES)[number], Record<'c1' | 'c10', Load>>
  for (const mode of MODES) {
    const server = await startServer({ DATABASE_PATH: join(scratch, `synchronous-${mode}.db`), SQLITE_SYNCHRONOUS: mode })
    const request = signedRequest('customer-purse/customer/create', { email: 'durable@example.com' })
    const loads = {} as Record<'c1' | 'c10', Load>
    for (const connections of [1, 10] as const) {
      const result = await autocannon({ url: server.url, connections, duration: durationS, requests: [request] })
      loads[`c${connections}`] = { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx }
    }
    out[mode] = loads
    await server.stop()
  }
  return out
}

/** The rows of the bench table. */
export function synchronousRows (r: Awaited<ReturnType<typeof measureSynchronous>>): string[][] {
  return (['c1', 'c10'] as const).map((c) => {
    const [normal, full] = [r.NORMAL[c], r.FULL[c]]
    return [`Signed create, SQLITE_SYNCHRONOUS NORMAL / FULL, ${c.slice(1)} connection${c === 'c1' ? '' : 's'}`,
      `${normal.rps} / ${full.rps} req/s, p99 ${normal.p99} / ${full.p99} ms`, '', '']
  })
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const { mkdtempSync, rmSync } = await import('node:fs')
  const { tmpdir } = await import('node:os')
  const scratch = mkdtempSync(join(tmpdir(), 'calypso-mock-bench-'))
  const results = await measureSynchronous(scratch, Number(process.env.BENCH_DURATION_S ?? 5))
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n${synchronousRows(results).map((row) => `| ${row.join(' | ')} |`).join('\n')}\n`)
  rmSync(scratch, { recursive: true, force: true })
}
