import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { seedBacklog } from './seed.js'
import { SERVER, startServer } from './server-process.js'

/**
 * Deliveries queued ahead of the measured backlog and sent before the measure starts, so that the
 * figure is the server's steady cost per delivery and not its warm-up (JIT, first connections).
 */
const WARM_UP = 1_000

/** Clock ticks a second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100

/** CPU milliseconds (user + system) a process has used so far. */
export function cpuMs (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // After the command name: field 14 (utime) and 15 (stime) of proc(5) are the 12th and 13th here.
  return (Number(fields[11]) + Number(fields[12])) * 1000 / TICKS_PER_S
}

export interface BacklogRun {
  deliveries: number
  lanes: number
  drainS: number
  perSecond: number
  /** The server's CPU (user + system) per delivery, from the end of the warm-up to the last delivery's arrival. */
  cpuPerDeliveryMs: number
}

/**
 * Starts the server on a database holding `count` pending deliveries (after the warm-up's) spread
 * over `lanes` subscriptions, all due, and times the drain at a local receiver that answers 200.
 */
export async function drainBacklog (scratch: string, count: number, lanes = 4, server = SERVER): Promise<BacklogRun> {
  let received = 0
  let pid = 0
  let firstAt = 0
  let firstCpu = 0
  let before = 0
  const total = WARM_UP + count
  const mark = () => { firstAt = performance.now(); firstCpu = cpuMs(pid); before = received }
  let done: () => void = () => {}
  const drained = new Promise<void>((resolve) => { done = resolve })
  let lastAt = 0
  let lastCpu = 0
  const receiver = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      response.end('OK')
      received++
      if (received === WARM_UP && pid !== 0) mark()
      if (received === total) { lastAt = performance.now(); lastCpu = cpuMs(pid); done() }
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const databasePath = join(scratch, `backlog-${count}-${Math.random().toString(36).slice(2)}.db`)
  seedBacklog(databasePath, `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, total, lanes)
  const running = await startServer({ DATABASE_PATH: databasePath }, server)
  pid = running.child.pid as number
  if (received >= WARM_UP) mark()
  await drained
  await running.stop()
  receiver.close()
  const drainS = (lastAt - firstAt) / 1000
  return {
    deliveries: count,
    lanes,
    drainS: Math.round(drainS * 10) / 10,
    perSecond: Math.round((total - before) / drainS),
    cpuPerDeliveryMs: Math.round(1000 * (lastCpu - firstCpu) / (total - before)) / 1000
  }
}

/** Backlogs of 1 000, 10 000 and 100 000 deliveries, one after the other. */
export async function measureBacklogs (scratch: string, sizes = [1_000, 10_000, 100_000], server = SERVER): Promise<BacklogRun[]> {
  const runs: BacklogRun[] = []
  for (const size of sizes) runs.push(await drainBacklog(scratch, size, 4, server))
  return runs
}
