import t from 'tap'
import { compareWithContract } from '../../src/conformance/contract-drift.js'
import { CALYPSO_CONTRACT } from '../../src/conformance/contract.js'
import { loadOpenApiDocument, type OpenApiDocument } from '../../src/conformance/response-validator.js'

type Schemas = Record<string, { enum?: string[], properties?: Record<string, unknown>, required?: string[] }>

function committed (): OpenApiDocument & { components: { schemas: Schemas } } {
  return structuredClone(loadOpenApiDocument()) as OpenApiDocument & { components: { schemas: Schemas } }
}

t.test('the committed openapi.yaml agrees with the contract pinned from Calypso\'s docs', async (t) => {
  t.same(compareWithContract(loadOpenApiDocument()), [])
})

t.test('a regenerated document that drifted is told apart from the contract, by operation and field', async (t) => {
  const renamed = committed()
  renamed.components.schemas.ComplianceState?.enum?.splice(2, 1, 'DECLINED')
  t.same(compareWithContract(renamed), [
    'POST /api/v1/customer-purse/transaction/get 200: $.complianceState: enum value DECLINED not in Calypso\'s UNCHECKED, IN_PROGRESS, DECLINE, CHECKED',
    'POST /api/v1/customer-purse/transaction/find 200: $.result[].complianceState: enum value DECLINED not in Calypso\'s UNCHECKED, IN_PROGRESS, DECLINE, CHECKED'
  ], 'a renamed enum value: the regenerated document moved with the drift, the contract did not')

  const dropped = committed()
  const customer = Object.entries(dropped.components.schemas).find(([, s]) => s.properties?.blocked !== undefined && s.properties.externalId !== undefined)
  if (customer === undefined) throw new Error('no Customer component')
  delete customer[1].properties?.blocked
  t.match(compareWithContract(dropped), [/^POST \/api\/v1\/customer-purse\/customer\/create 200: \$\.blocked: missing \(Calypso documents it\)$/], 'a dropped field')

  const optional = committed()
  const transaction = optional.components.schemas.PGTransactionDTO
  if (transaction === undefined) throw new Error('no PGTransactionDTO component')
  transaction.required = transaction.required?.filter((f) => f !== 'amount')
  t.ok(compareWithContract(optional).includes('POST /api/v1/customer-purse/transaction/get 200: $.amount: optional, Calypso\'s is required'), 'a required field made optional')

  const missing = committed()
  delete missing.paths['/api/v1/customer-purse/customer/block']
  t.same(compareWithContract(missing), ['POST /api/v1/customer-purse/customer/block: not in the document'], 'an operation left out')

  const webhook = committed()
  const data = webhook.components.schemas.CustomerPurseEventData
  if (data?.properties === undefined) throw new Error('no CustomerPurseEventData component')
  data.properties.isCustomerBlocked = data.properties.customerBlocked
  delete data.properties.customerBlocked
  t.same(compareWithContract(webhook), ['WebhookEvent: $.data.customerBlocked: missing (Calypso documents it)'], 'the webhook event too')
})

t.test('the contract is written from the published facts, not from the mock', async (t) => {
  const schemas = (CALYPSO_CONTRACT.components as { schemas: Record<string, { 'x-source'?: string }> }).schemas
  for (const [name, schema] of Object.entries(schemas)) t.ok(schema['x-source'], `${name} names its source`)
  t.equal(Object.keys(CALYPSO_CONTRACT.paths).filter((p) => !p.startsWith('/api/v1/')).length, 0, 'Calypso\'s paths only: no /_mock')
})
