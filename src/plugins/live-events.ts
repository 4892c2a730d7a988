import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { changeMessages } from '../live/change-messages.js'
import { createLiveHub, type LiveHub } from '../live/live-hub.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The clients of GET /_mock/events and what is sent to them. */
    live: LiveHub
  }
}

/**
 * What /_mock/events streams: every committed change of the store (heard through its on-commit
 * hook, so nothing rolled back is ever announced), every call in the request journal, and the
 * injected faults as they are added, used and cleared.
 */
export default fp(async function liveEvents (app: FastifyInstance) {
  const hub = createLiveHub()
  app.decorate('live', hub)
  const log = app.log.child({ module: 'live-events' })
  const stops = [
    app.store.onCommit((changes) => {
      if (!hub.active()) return
      try {
        for (const message of changeMessages(app.store, changes)) hub.publish(message.type, message.data)
      } catch (err) {
        log.error({ err }, 'could not announce a change on /_mock/events')
      }
    }),
    app.journal.onRecord((entry) => hub.publish('request', { entry })),
    app.faults.onChange(() => { if (hub.active()) hub.publish('faults', { faults: app.faults.list() }) })
  ]
  app.addHook('preClose', async () => {
    for (const stop of stops) stop()
    hub.closeAll()
  })
}, { name: 'live-events', dependencies: ['store', 'request-journal', 'faults'] })
