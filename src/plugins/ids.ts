import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { randomIdSource, seededIdSource, type IdSource } from '../ids.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Where ids, addresses and keys come from: random, or repeatable under MOCK_SEED. */
    ids: IdSource
  }
}

export interface IdsOptions {
  /** A source given by the embedder (tests); otherwise chosen from the config. */
  ids?: IdSource | undefined
}

/**
 * Under MOCK_SEED, a fresh database gives the same ids on every run. Each start on the same file
 * continues with a new sequence (the seed plus the start count), so it never repeats an earlier one.
 */
export default fp<IdsOptions>(async function ids (app: FastifyInstance, options) {
  const seed = app.config.seed
  let source = options.ids ?? randomIdSource()
  if (options.ids === undefined && seed !== undefined) {
    const starts = app.store.transaction(() => {
      const row = app.store.db.prepare("SELECT value FROM mock_state WHERE key = 'starts'").pluck().get() as string | undefined
      const next = Number(row ?? 0) + 1
      app.store.db.prepare("INSERT INTO mock_state (key, value) VALUES ('starts', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(next))
      return next
    })
    source = seededIdSource(starts === 1 ? seed : `${seed}#${starts}`)
  }
  app.decorate('ids', source)
}, { name: 'ids', dependencies: ['services', 'store'] })
