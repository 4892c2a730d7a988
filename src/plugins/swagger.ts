import fastifySwagger from '@fastify/swagger'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'

type Document = ReturnType<typeof jsonSchemaTransformObject>

/**
 * The zod transform registers every named schema twice, as input and as output; only those the
 * document refers to are kept, so the components list what the API really uses.
 */
function withoutUnusedSchemas (document: Document): Document {
  const components = (document as { components?: { schemas?: Record<string, unknown> } }).components
  const schemas = components?.schemas
  if (schemas === undefined) return document
  const used = new Set<string>()
  const pending = [JSON.stringify({ ...document, components: { ...components, schemas: {} } })]
  while (pending.length > 0) {
    for (const [, name] of (pending.pop() as string).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (name === undefined || used.has(name)) continue
      used.add(name)
      pending.push(JSON.stringify(schemas[name]))
    }
  }
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name]
  return document
}

export const API_DESCRIPTION = [
  'A local, stateful mock of Calypso Pay\'s Customer Purse API.',
  'Every `/api/v1` request is a JSON envelope `{account, timestamp, payload}` sent with two headers: `Key` (the public api key) and `Sign` (lowercase hex HMAC-SHA512 of the exact body bytes, keyed with the api secret). Errors answer `{errorCode, message, traceId}`.'
].join('\n\n')

/** The OpenAPI document, generated from the routes' zod schemas, at /openapi.json (and /docs: plugins/docs.ts). */
export default fp(async function swagger (app: FastifyInstance) {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'calypso-mock', description: API_DESCRIPTION, version: '1.0.0' },
      servers: [{ url: '/', description: 'This mock' }],
      tags: [
        { name: 'Customers', description: 'Create, update, block and unblock customers' },
        { name: 'Purses', description: 'Deposit addresses (purses) of customers' },
        { name: 'Transactions', description: 'Deposits received on customer purses' },
        { name: 'Webhook subscriptions', description: 'Where Calypso sends signed events' },
        { name: 'Mock', description: 'Mock-only controls under /_mock: they do not exist on Calypso' }
      ],
      components: {
        securitySchemes: {
          Key: { type: 'apiKey', in: 'header', name: 'Key', description: 'The public api key' },
          Sign: { type: 'apiKey', in: 'header', name: 'Sign', description: 'Lowercase hex HMAC-SHA512 of the raw request body, keyed with the api secret' }
        }
      }
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => withoutUnusedSchemas(jsonSchemaTransformObject(input))
  })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}, { name: 'swagger' })
