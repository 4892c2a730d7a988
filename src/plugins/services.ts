import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { IdSource } from '../ids.js'

export type Clock = () => number

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    /** Milliseconds since the epoch; injected so tests control time. */
    clock: Clock
    ids: IdSource
  }
}

export interface ServicesOptions {
  config: Config
  clock: Clock
  ids: IdSource
}

export default fp<ServicesOptions>(async function services (app, { config, clock, ids }) {
  app.decorate('config', config)
  app.decorate('clock', clock)
  app.decorate('ids', ids)
}, { name: 'services' })

export function isoTime (app: FastifyInstance): string {
  return new Date(app.clock()).toISOString()
}
