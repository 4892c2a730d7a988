import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { openStore, type Store } from '../store/open-store.js'

declare module 'fastify' {
  interface FastifyInstance {
    store: Store
  }
}

/** Opens the database, applies migrations, writes the configured accounts; closes it on close. */
export default fp(async function store (app: FastifyInstance) {
  const store = openStore(app.config.databasePath, app.config.sqliteSynchronous)
  try {
    store.accounts.saveConfigured(app.config.accounts, new Date(app.clock()).toISOString())
  } catch (err) {
    store.db.close()
    throw err
  }
  app.decorate('store', store)
  app.addHook('onClose', async () => { store.db.close() })
}, { name: 'store', dependencies: ['config-and-clock'] })
