import fp from 'fastify-plugin'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** Whole milliseconds since the epoch; injected so tests control time. */
    clock: Clock
    /** The same clock with its microseconds, for the dates of webhook events. */
    preciseClock: Clock
  }
}

export interface ConfigAndClockOptions {
  config: Config
  clock: Clock
}

/** The config and the clocks every other plugin reads. */
export default fp<ConfigAndClockOptions>(async function configAndClock (app, { config, clock }) {
  app.decorate('config', config)
  app.decorate('clock', () => Math.floor(clock()))
  app.decorate('preciseClock', clock)
}, { name: 'config-and-clock' })
