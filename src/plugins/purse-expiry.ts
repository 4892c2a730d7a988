import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { expireDuePurses } from '../domain/purse-expiry.js'

/** How often purses are checked for expiry. */
export const EXPIRY_SWEEP_MS = 60_000

/** Expires due purses at start, then every EXPIRY_SWEEP_MS while the app runs. */
export default fp(async function purseExpiry (app: FastifyInstance) {
  let sweep: NodeJS.Timeout | undefined
  app.addHook('onReady', async () => {
    expireDuePurses(app.domain)
    sweep = setInterval(() => {
      try {
        expireDuePurses(app.domain)
      } catch (err) {
        app.log.error({ err }, 'purse expiry sweep failed')
      }
    }, EXPIRY_SWEEP_MS)
    sweep.unref()
  })
  app.addHook('preClose', async () => { clearInterval(sweep) })
}, { name: 'purse-expiry', dependencies: ['domain-context'] })
