import t from 'tap'
import { createResponseValidator, jsonPath, loadOpenApiDocument, type ObservedResponse, type OpenApiDocument } from '../../src/conformance/response-validator.js'

const JSON_TYPE = 'application/json;charset=utf-8'

function answer (path: string, status: number, json: unknown, contentType = JSON_TYPE, method = 'POST'): ObservedResponse {
  return { method, path, status, contentType, text: json === undefined ? '' : JSON.stringify(json), json }
}

/** A document shaped as the reshaped openapi.yaml will be: named components, refs to refs, default errors, no trailing slash. */
const reshaped: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/api/v1/customer-purse/customer/create': {
      post: {
        responses: {
          200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Customer' } } } },
          default: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
        }
      }
    },
    '/api/v1/subscription/webhook': {
      delete: { responses: { 200: {}, '4XX': { content: { '*/*': { schema: { $ref: '#/components/schemas/Error' } } } } } }
    },
    '/_mock/transactions/{id}/advance': {
      post: { responses: { 200: { content: { 'application/json': { schema: { type: 'object', properties: { secretKey: { type: 'string', pattern: '^[a-f]+$' } } } } } } } }
    }
  },
  components: {
    schemas: {
      Customer: {
        type: 'object',
        required: ['id', 'blocked', 'email'],
        properties: { id: { type: 'string', format: 'uuid' }, email: { type: ['string', 'null'] }, blocked: { $ref: '#/components/schemas/Flag' } },
        additionalProperties: false
      },
      Flag: { type: 'boolean' },
      Error: { type: 'object', required: ['errorCode'], properties: { errorCode: { $ref: '#/components/schemas/ErrorCode' } } },
      ErrorCode: { type: 'string', enum: ['001', '004'] }
    }
  }
}

t.test('OpenAPI 3.1: $refs through named components, found by path and method, whatever the operationId', async (t) => {
  const v = createResponseValidator(reshaped)
  const path = '/api/v1/customer-purse/customer/create'
  t.same(v.validate(answer(path, 200, { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', email: null, blocked: false, extra: 'ignored' })), [], 'a conforming answer; an unknown field is allowed, as Calypso tells clients to ignore them')
  t.same(v.validate(answer(path, 200, { id: 'nope', blocked: 'no' })), [
    '$.email: missing (required)',
    '$.id: "nope" is not a valid uuid',
    '$.blocked: expected boolean, got string'
  ], 'each difference by its JSON path, through two $refs')
  t.same(v.validate(answer(path, 400, { errorCode: '003' })), ['$.errorCode: "003" is not one of 001, 004'], 'an error status falls back to `default`')
  t.same(v.validate(answer(`${path}/`, 200, { id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', email: 'a', blocked: true })), [], 'a trailing slash names the same path')
})

t.test('answers without a body, wildcard media types, 4XX, templated paths, and values that must not be printed', async (t) => {
  const v = createResponseValidator(reshaped)
  t.same(v.validate(answer('/api/v1/subscription/webhook/', 200, undefined, undefined, 'DELETE')), [], 'an empty 200 where none is documented')
  t.same(v.validate(answer('/api/v1/subscription/webhook', 200, { ok: true }, JSON_TYPE, 'DELETE')), ['body: expected none for status 200, got 11 bytes'])
  t.same(v.validate(answer('/api/v1/subscription/webhook', 404, { errorCode: '004' }, 'text/plain', 'DELETE')), [], '4XX with */*')
  t.same(v.validate(answer('/api/v1/subscription/webhook', 500, {}, JSON_TYPE, 'DELETE')), ['status 500 is not a documented answer of DELETE /api/v1/subscription/webhook (documented: 200, 4XX)'])
  t.same(v.validate(answer('/api/v1/subscription/webhook', 200, {}, JSON_TYPE, 'POST')), ['POST /api/v1/subscription/webhook is not an operation of the OpenAPI document'])
  t.same(v.validate(answer('/_mock/transactions/3fa85f64/advance', 200, { secretKey: 'XYZ' })), ['$.secretKey: string does not match ^[a-f]+$'], 'a {param} matches a segment; a secret is shown by its type only')
  t.same(v.validate(answer('/api/v1/customer-purse/customer/create', 200, undefined, JSON_TYPE)), ['body: expected JSON, got an empty body'])
  t.same(v.validate(answer('/api/v1/customer-purse/customer/create', 200, {}, 'text/html')), ['content-type: expected application/json, got text/html'])
})

t.test('OpenAPI 3.0: nullable (with a type, an enum or a $ref), boolean exclusive bounds, int64', async (t) => {
  const v = createResponseValidator({
    openapi: '3.0.3',
    paths: {
      '/x': {
        post: {
          responses: {
            200: {
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      state: { type: 'string', enum: ['A', 'B'], nullable: true },
                      ref: { allOf: [{ $ref: '#/components/schemas/Named' }], nullable: true },
                      amount: { type: 'number', minimum: 0, exclusiveMinimum: true },
                      total: { type: 'number', format: 'int64' }
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    components: { schemas: { Named: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } } }
  })
  t.same(v.validate(answer('/x', 200, { state: null, ref: null, amount: 1, total: 2 ** 40 })), [], 'null where nullable; an int64 beyond int32')
  t.same(v.validate(answer('/x', 200, { state: 'C', ref: { id: 'a' }, amount: 1 })), ['$.state: "C" is not one of A, B, null'], 'the enum still holds')
  t.match(v.validate(answer('/x', 200, { amount: 0 })), ['$.amount: must be > 0'], 'exclusiveMinimum: true excludes the minimum')
  t.match(v.validate(answer('/x', 200, { total: 1.5 })), ['$.total: 1.5 is not a valid int64'])
})

t.test('the committed openapi.yaml: every /api/v1 operation is found, with or without a trailing slash', async (t) => {
  const document = loadOpenApiDocument()
  const v = createResponseValidator(document)
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/v1/')) continue
    for (const method of Object.keys(operations)) {
      const bare = path.replace(/\/$/, '')
      for (const called of [bare, `${bare}/`]) {
        const differences = v.validate(answer(called, 400, { errorCode: '001', message: 'Bad request', traceId: '0c4f3a5e-49a4-4a29-9a35-1d6a3b8a2e3f' }, JSON_TYPE, method.toUpperCase()))
        t.same(differences, [], `${method.toUpperCase()} ${called}: the error body conforms`)
      }
    }
  }
})

t.test('JSON paths', async (t) => {
  t.equal(jsonPath(''), '$')
  t.equal(jsonPath('/result/0/amount'), '$.result[0].amount')
  t.equal(jsonPath('', 'traceId'), '$.traceId')
  t.equal(jsonPath('/a~1b/x-y'), '$["a/b"]["x-y"]')
})
