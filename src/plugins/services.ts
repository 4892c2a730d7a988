import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'

export type Clock = () => number

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** Milliseconds since the epoch; injected so tests control time. */
    clock: Clock
  }
}

export interface ServicesOptions {
  config: Config
  clock: Clock
}

export default fp<ServicesOptions>(async function services (app, { config, clock }) {
  app.decorate('config', config)
  app.decorate('clock', clock)
}, { name: 'services' })

export function isoTime (app: FastifyInstance): string {
  return new Date(app.clock()).toISOString()
}
