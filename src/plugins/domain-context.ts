import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createAccountClock } from '../domain/clock.js'
import type { DomainContext } from '../domain/context.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The context every state change that emits events runs in. */
    domain: DomainContext
  }
}

/** app.domain: the context every domain function takes first. */
export default fp(async function domainContext (app: FastifyInstance) {
  const { store, ids } = app
  app.decorate('domain', { store, ids, clock: createAccountClock(store.clocks, app.preciseClock) })
}, { name: 'domain-context', dependencies: ['config-and-clock', 'store', 'ids'] })
