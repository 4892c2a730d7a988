import type { OpenApiDocument } from './response-validator.js'

/**
 * Calypso's Customer Purse API as its public docs publish it, pinned by hand: the schema names,
 * fields, types and enums of docs.calypso.finance / docs.calypso.money (the research notes give the
 * source of each, named here by `x-source`: S1 the Customer Purse API reference, S8 transaction
 * processing, S9 the customers' webhooks, S11 errors, S12 the Webhook API, S13 the webhook payload).
 *
 * The conformance checks validate answers against this document, never against the openapi.yaml
 * the mock generates from its own schemas: a drift that changes a zod schema moves openapi.yaml
 * with it, and must still be caught. The mock's openapi.yaml is compared with this document
 * separately (contract-drift.ts). Objects leave extra fields open: Calypso tells clients to ignore
 * unknown response fields; off the mock, an extra field is a NOTE.
 *
 * Where the docs contradict themselves, the pinned choice and the contradiction are both written
 * down (`x-divergence`), and docs/conformance.md lists them.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const uuid = { type: 'string', format: 'uuid' }
interface Answer { description?: string, content?: Record<string, { schema?: unknown }> }
const json = (schema: unknown): Answer => ({ content: { '*/*': { schema } } })

/** The error codes the docs list, with their documented message (S11). */
export const DOCUMENTED_MESSAGES = {
  '000': 'Internal server error',
  '001': 'Bad request',
  '002': 'Invalid api key',
  '003': 'Wrong sign',
  '004': 'Requested object is not found',
  '011': 'Invalid timestamp parameter'
} as const

export type DocumentedCode = keyof typeof DOCUMENTED_MESSAGES

/** The documented retry intervals in seconds after each failed delivery (S15): 19 retries. */
export const DOCUMENTED_RETRY_SECONDS: readonly number[] = [
  30, 30, 60, 90, 150, 240, 390, 630, 1020, 1650, 2670, 4320, 6990, 11310, 18300, 29610, 47910, 77520, 125430
]

/** The documented timestamp window: 3 minutes either side of the server clock (S1, S10). */
export const DOCUMENTED_TIMESTAMP_WINDOW_MS = 3 * 60 * 1000

/** A webhook's createdDate as the docs' example writes it (`2025-10-30T14:08:39.96068`): a Java LocalDateTime, no zone, the fraction without trailing zeros. */
export const WEBHOOK_CREATED_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,8}[1-9])?$/

/** An API date as the docs' examples write it (`2025-07-30T10:53:50.356Z`). */
export const API_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

/** The six customer purse events (S9), and those that carry a transaction. */
export const CUSTOMER_PURSE_EVENT_TYPES = [
  'CUSTOMER_PURSE_MEM_POOL_FOUND',
  'CUSTOMER_PURSE_PENDING_COMPLIANCE',
  'CUSTOMER_PURSE_COMPLIANCE_DECLINED',
  'CUSTOMER_PURSE_FUNDS_RECEIVED_FOR_PURSE',
  'CUSTOMER_PURSE_TRANSLATION_TO_ACCOUNT_COMPLETED',
  'CUSTOMER_PURSE_EXPIRED'
] as const

/** The `data` fields the docs name for a transaction event (S9, MEM_POOL_FOUND's table), by their pinned JSON type. */
export const TRANSACTION_EVENT_DATA: Readonly<Record<string, 'string' | 'boolean' | 'number'>> = {
  customerId: 'string',
  customerBlocked: 'boolean',
  purseId: 'string',
  address: 'string',
  transactionId: 'string',
  amount: 'number',
  currency: 'string'
}

/** The `data` fields of CUSTOMER_PURSE_EXPIRED (S9). */
export const EXPIRED_EVENT_DATA: Readonly<Record<string, 'string' | 'boolean' | 'number'>> = {
  customerId: 'string',
  customerBlocked: 'boolean',
  purseId: 'string',
  address: 'string'
}

function operation (request: string, success: Answer) {
  return {
    post: {
      'x-request': request,
      responses: {
        200: success,
        400: json(ref('PublicGatewayErrorResponse')),
        500: json(ref('PublicGatewayErrorResponse'))
      }
    }
  }
}

export const CALYPSO_CONTRACT: OpenApiDocument = {
  openapi: '3.0.1',
  info: { title: 'Public API (Customer Purse and Webhook API), pinned from Calypso\'s published docs', version: 'dev' },
  paths: {
    '/api/v1/customer-purse/customer/create': operation('WithAccountContainerCreateCustomerRequestDTO', json(ref('CustomerDTO'))),
    '/api/v1/customer-purse/customer/update': operation('WithAccountContainerUpdateCustomerRequestDTO', json(ref('CustomerDTO'))),
    '/api/v1/customer-purse/customer/block': operation('WithAccountContainerByCustomerIdRequestDTO', json(ref('CustomerDTO'))),
    '/api/v1/customer-purse/customer/unblock': operation('WithAccountContainerByCustomerIdRequestDTO', json(ref('CustomerDTO'))),
    '/api/v1/customer-purse/address/get': operation('WithAccountContainerGetAddressRequestDTO', json(ref('AddressDTO'))),
    '/api/v1/customer-purse/purse/get-all': operation('WithAccountContainerByCustomerIdRequestDTO', json({ type: 'array', items: ref('PurseDTO') })),
    '/api/v1/customer-purse/transaction/get': operation('WithAccountContainerByTransactionIdRequestDTO', json(ref('PGTransactionDTO'))),
    '/api/v1/customer-purse/transaction/find': operation('WithAccountContainerFindTransactionsRequestDTO', json(ref('PagePGTransactionDTO'))),
    '/api/v1/subscription/webhook/create': operation('WithAccountContainerCreateWebhookRequestDTO', json(ref('WebhookChannelDTO'))),
    '/api/v1/subscription/webhook': {
      ...operation('EmptyWithAccountContainer', json(ref('WebhookChannelListDTO'))),
      delete: {
        'x-request': 'WithAccountContainerDeleteWebhookRequestDTO',
        responses: { 200: {}, 400: json(ref('PublicGatewayErrorResponse')), 500: json(ref('PublicGatewayErrorResponse')) }
      }
    }
  },
  components: {
    schemas: {
      PublicGatewayErrorResponse: {
        'x-source': 'S11; traceId from a public client (C1), not the docs',
        type: 'object',
        required: ['errorCode', 'message'],
        properties: { errorCode: { type: 'string', pattern: '^\\d{3}$' }, message: { type: 'string' }, traceId: { type: 'string' } }
      },
      CustomerDTO: {
        'x-source': 'S1, S4',
        type: 'object',
        required: ['id', 'blocked'],
        properties: {
          id: uuid,
          email: { type: 'string', nullable: true },
          description: { type: 'string', nullable: true },
          externalId: { type: 'string', nullable: true },
          blocked: { type: 'boolean' }
        }
      },
      AddressDTO: {
        'x-source': 'S1, S6: the purse id is the address id',
        type: 'object',
        required: ['id', 'address'],
        properties: { id: { type: 'string' }, address: { type: 'string' } }
      },
      PurseDTO: {
        'x-source': 'S6 (statuses); the docs show no other purse field',
        type: 'object',
        required: ['id', 'address'],
        properties: { id: { type: 'string' }, address: { type: 'string' }, status: ref('PurseStatus') }
      },
      PurseStatus: {
        'x-source': 'S6',
        'x-divergence': 'docs.calypso.finance spells ARCHIEVED, docs.calypso.money ARCHIVED: both are accepted',
        type: 'string',
        enum: ['PENDING_PAYMENT', 'ARCHIVED', 'ARCHIEVED', 'DECLINED']
      },
      TransactionState: { 'x-source': 'S8', type: 'string', enum: ['MEM_POOL_FOUND', 'PENDING_COMPLIANCE_CHECK', 'DECLINED', 'CONFIRMED'] },
      ComplianceState: { 'x-source': 'S8, S1', type: 'string', enum: ['UNCHECKED', 'IN_PROGRESS', 'DECLINE', 'CHECKED'] },
      PGTransactionDTO: {
        'x-source': 'S1 ("Transaction data")',
        type: 'object',
        required: ['id', 'amount', 'addressFrom', 'currency', 'transactionState', 'complianceState', 'translationToAccountCompleted', 'createdDate'],
        properties: {
          id: uuid,
          amount: { type: 'number' },
          addressFrom: { type: 'string' },
          currency: { type: 'string' },
          transactionHash: { type: 'string' },
          transactionState: ref('TransactionState'),
          complianceState: ref('ComplianceState'),
          translationToAccountCompleted: { type: 'boolean' },
          createdDate: { type: 'string', pattern: API_DATE.source }
        }
      },
      PagePGTransactionDTO: {
        'x-source': 'S1: total is the number of pages',
        type: 'object',
        required: ['result', 'page', 'size', 'total', 'totalElements'],
        properties: {
          result: { type: 'array', items: ref('PGTransactionDTO') },
          page: { type: 'integer', format: 'int32' },
          size: { type: 'integer', format: 'int32' },
          total: { type: 'integer', format: 'int32' },
          totalElements: { type: 'integer', format: 'int64' }
        }
      },
      WebhookChannelDTO: {
        'x-source': 'S12 (its required list starts with blockedByErrorCount, createdDate; the rest is cut off)',
        type: 'object',
        required: ['blockedByErrorCount', 'createdDate', 'requestId', 'url'],
        properties: {
          blockedByErrorCount: { type: 'integer' },
          createdDate: { type: 'string' },
          requestId: uuid,
          notificationEventTypes: { type: 'array', items: { type: 'string' } },
          notificationServiceTypes: { type: 'array', items: { type: 'string' } },
          url: { type: 'string' },
          publicKey: { type: 'string' },
          secretKey: { type: 'string' }
        }
      },
      WebhookChannelListDTO: {
        'x-source': 'S12',
        type: 'object',
        required: ['subscriptions'],
        properties: { subscriptions: { type: 'array', items: ref('WebhookChannelDTO') } }
      },
      WebhookEvent: {
        'x-source': 'S13 (envelope), S8 (the customer purse example)',
        type: 'object',
        required: ['requestId', 'id', 'createdDate', 'level', 'service', 'eventType', 'data'],
        properties: {
          requestId: { type: 'string' },
          id: { type: 'integer' },
          createdDate: { type: 'string', pattern: WEBHOOK_CREATED_DATE.source },
          level: { type: 'string', enum: ['SUCCESS', 'INFO', 'WARNING'] },
          service: { type: 'string', enum: ['CUSTOMER_PURSE'] },
          eventType: { type: 'string', enum: [...CUSTOMER_PURSE_EVENT_TYPES] },
          data: ref('CustomerPurseEventData')
        }
      },
      CustomerPurseEventData: {
        'x-source': 'S9 (only part of its tables is published)',
        'x-divergence': 'the docs type currency and transactionId as number; the API\'s own currency is a code and its transaction id a uuid string, so both are pinned as strings',
        type: 'object',
        required: ['customerId', 'customerBlocked', 'purseId', 'address'],
        properties: {
          customerId: { type: 'string' },
          customerBlocked: { type: 'boolean' },
          purseId: { type: 'string' },
          address: { type: 'string' },
          transactionId: { type: 'string' },
          amount: { type: 'number' },
          currency: { type: 'string' },
          transactionHash: { type: 'string' }
        }
      }
    }
  }
}
