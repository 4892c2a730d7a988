import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { deleteSnapshot, listSnapshots, restoreSnapshot, saveSnapshot } from '../../domain/snapshots.js'
import { mockErrorResponses } from '../../schemas/common.js'
import {
  createSnapshotRequest, deletedSnapshot, restoreSnapshotRequest, restoredSnapshot, snapshotList, snapshotParams, snapshotSummary, snapshotsQuery
} from '../../schemas/mock/snapshots.js'

const tags = ['Mock']

/** /_mock/snapshots: save one account's data under a name and put it back in one step. */
export default async function snapshotRoutes (fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>()
  const defaultAccount = (app.config.accounts[0]?.account ?? '').toLowerCase()
  const accountOf = (given: string | undefined) => given?.toLowerCase() ?? defaultAccount

  /** Open waits and queued faults of the account end with its restore: they were set up for the data it replaced. */
  function forgetWaitsAndFaults (account: string, lastEventId: number): void {
    const apiKey = app.store.accounts.findByAccount(account)?.apiKey
    app.faults.clear((f) => f.apiKey !== undefined && f.apiKey === apiKey)
    app.webhooks.faults.clear((f) => f.account === account)
    app.webhooks.waiters.restart(account, lastEventId)
  }

  app.post('/snapshots', {
    schema: {
      tags,
      operationId: 'saveSnapshot',
      summary: 'Save a snapshot',
      description: 'Copies one account\'s customers, purses, transactions, subscriptions, events and deliveries (with their attempts) under `name`. Attempts in flight are let finish first; then it is refused while a delivery of the account is still pending, since a restore would send it again. The request journal, faults and waits are not part of it.',
      body: createSnapshotRequest,
      response: { 201: snapshotSummary.describe('The snapshot, saved'), ...mockErrorResponses }
    }
  }, async (request, reply) => {
    const { name, replace } = request.body
    const account = accountOf(request.body.account)
    // A receiver may have the last webhook already while its answer is not yet recorded.
    await app.webhooks.dispatcher.settled()
    return reply.code(201).send(await app.store.write(() => saveSnapshot(app.domain, account, name, replace === true)))
  })

  app.post('/snapshots/:name/restore', {
    schema: {
      tags,
      operationId: 'restoreSnapshot',
      summary: 'Restore a snapshot',
      description: 'Makes the account\'s data exactly what it was when the snapshot was saved, in one transaction: what was made since is deleted, what changed is put back. The WEBHOOK_URL subscription stays as configured now. The account\'s queued faults (/_mock/faults, /_mock/webhooks/faults) are cleared, its open waits end with 408, and later waits see only events made after the restore.',
      params: snapshotParams,
      body: restoreSnapshotRequest,
      response: { 200: restoredSnapshot.describe('What was restored'), ...mockErrorResponses }
    }
  }, async (request) => {
    const account = accountOf(request.body?.account)
    const { lastEventId } = await app.store.write(() => restoreSnapshot(app.domain, app.config.webhook, account, request.params.name))
    forgetWaitsAndFaults(account, lastEventId)
    return { restored: request.params.name, account, lastEventId }
  })

  app.get('/snapshots', {
    schema: {
      tags,
      operationId: 'listSnapshots',
      summary: 'List snapshots',
      description: 'The account\'s snapshots, oldest first.',
      querystring: snapshotsQuery,
      response: { 200: snapshotList.describe('The account\'s snapshots'), ...mockErrorResponses }
    }
  }, async (request) => ({ snapshots: listSnapshots(app.domain, accountOf(request.query.account)) }))

  app.delete('/snapshots/:name', {
    schema: {
      tags,
      operationId: 'deleteSnapshot',
      summary: 'Delete a snapshot',
      description: 'Deletes the snapshot; the account\'s data is not touched.',
      params: snapshotParams,
      querystring: snapshotsQuery,
      response: { 200: deletedSnapshot.describe('What was deleted'), ...mockErrorResponses }
    }
  }, async (request) => {
    const account = accountOf(request.query.account)
    await app.store.write(() => deleteSnapshot(app.domain, account, request.params.name))
    return { deleted: request.params.name, account }
  })
}
