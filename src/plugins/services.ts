import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'

/** Milliseconds since the epoch. It may carry a fraction of a millisecond: the microseconds webhook dates show. */
export type Clock = () => number

/**
 * The machine's clock to the microsecond, as Java's clock reads on Linux: Date.now() gives the
 * milliseconds, the monotonic clock the microsecond digits below them.
 */
export function systemClock (): number {
  // In whole microseconds. The two clocks do not roll over together, so the sum could step back
  // within a millisecond: a reading is never below the last one.
  lastMicros = Math.max(Date.now() * 1000 + Number(process.hrtime.bigint() / 1000n % 1000n), lastMicros + 1)
  return lastMicros / 1000
}
let lastMicros = 0

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** Whole milliseconds since the epoch; injected so tests control time. */
    clock: Clock
    /** The same clock with its microseconds, for the dates of webhook events. */
    preciseClock: Clock
  }
}

export interface ServicesOptions {
  config: Config
  clock: Clock
}

export default fp<ServicesOptions>(async function services (app, { config, clock }) {
  app.decorate('config', config)
  app.decorate('clock', () => Math.floor(clock()))
  app.decorate('preciseClock', clock)
}, { name: 'services' })

export function isoTime (app: FastifyInstance): string {
  return new Date(app.clock()).toISOString()
}
