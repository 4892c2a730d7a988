import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { randomIdSource, seededIdSource, type IdSource } from '../domain/ids.js'

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
    const starts = app.store.mockState.countStart()
    source = seededIdSource(starts === 1 ? seed : `${seed}#${starts}`)
  }
  app.decorate('ids', source)
}, { name: 'ids', dependencies: ['config-and-clock', 'store'] })
