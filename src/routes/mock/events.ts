import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { ApiError, ErrorCode, Reason } from '../../errors.js'
import { MAX_CLIENTS } from '../../live/live-hub.js'
import { errorBody, mockErrorResponses } from '../../schemas/common.js'

export const LIVE_EVENTS_DESCRIPTION = [
  'Server-sent events (text/event-stream) of what changes in the mock, each a JSON `data` line under its `event:` name:',
  '`ready` once connected; `customer` {action, customer}; `purse` {action, purse, eventType?}; `transaction` {eventType, transaction} at each step of a deposit;',
  '`delivery` {action: queued | attempted, delivery} with every attempt; `request` {entry}: each call to /api, as the request journal records it, with its auth verdict;',
  '`faults` {faults}; `subscription`, `account` {account}; `reset` {account}; `refresh` when a commit changed too much to list.',
  `Changes are sent once committed. At most ${MAX_CLIENTS} clients at once: one more is answered 503.`,
  'With MOCK_ADMIN_TOKEN set it needs `Authorization: Bearer <token>`, like every /_mock call (EventSource cannot send it: read the stream with fetch).'
].join(' ')

export default async function liveEventRoutes (app: FastifyInstance) {
  // Without the zod type provider: the answer is a stream, which a typed reply would refuse.
  app.get('/events', {
    schema: {
      tags: ['Mock'],
      operationId: 'streamEvents',
      summary: 'Live changes, as server-sent events',
      description: LIVE_EVENTS_DESCRIPTION,
      response: {
        200: { description: 'A stream of server-sent events; it stays open', content: { 'text/event-stream': { schema: z.string() } } },
        503: errorBody.describe(`${MAX_CLIENTS} clients are connected already (errorCode 000)`),
        ...mockErrorResponses
      }
    }
  }, async (_request, reply) => {
    if (app.live.full()) throw new ApiError(ErrorCode.INTERNAL, Reason.tooManyLiveClients(MAX_CLIENTS), 503)
    return reply
      .header('content-type', 'text/event-stream; charset=utf-8')
      .header('cache-control', 'no-cache, no-transform')
      .header('x-accel-buffering', 'no')
      .send(app.live.open())
  })
}
