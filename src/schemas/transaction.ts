import { z } from 'zod'
import { COMPLIANCE_STATES, SORT_COLUMNS, TRANSACTION_STATES } from '../domain/model.js'
import { isoDate, requestObject, requestUuid, uuid } from './common.js'

export const transactionState = z.enum(TRANSACTION_STATES)
export const complianceState = z.enum(COMPLIANCE_STATES)

export const transaction = z.object({
  id: uuid,
  amount: z.number(),
  addressFrom: z.string(),
  currency: z.string(),
  transactionHash: z.string().optional(),
  transactionState,
  complianceState,
  translationToAccountCompleted: z.boolean(),
  createdDate: isoDate
}).meta({ id: 'PGTransactionDTO', description: 'Transaction data' })

export const transactionIdPayload = requestObject({ transactionId: requestUuid })

const list = <T extends z.ZodType>(item: T) => z.array(item).max(100)

export const currencyFilter = requestObject({
  equals: z.string().optional(),
  notEquals: z.string().optional(),
  specified: z.boolean().optional(),
  in: list(z.string()).optional(),
  notIn: list(z.string()).optional(),
  contains: z.string().optional(),
  doesNotContain: z.string().optional()
}).meta({ id: 'StringFilter' })

export const transactionStateFilter = requestObject({
  equals: transactionState.optional(),
  notEquals: transactionState.optional(),
  specified: z.boolean().optional(),
  in: list(transactionState).optional(),
  notIn: list(transactionState).optional()
}).meta({ id: 'TransactionStateFilter' })

export const sortProperty = z.enum(Object.keys(SORT_COLUMNS) as [keyof typeof SORT_COLUMNS])

export const findTransactionsPayload = requestObject({
  customerId: requestUuid.optional(),
  currencyFilter: currencyFilter.optional(),
  transactionStateFilter: transactionStateFilter.optional(),
  pageNumber: z.number().int().min(0).max(1_000_000).describe('Zero-based page number'),
  pageSize: z.number().int().min(1).max(1000).describe('Results per page, 1 to 1000'),
  sort: z.enum(['ASC', 'DESC']).optional().describe('Sort direction; ASC when absent'),
  properties: sortProperty.optional().describe('The property to sort on; createdDate when absent')
})

export const transactionPage = z.object({
  result: z.array(transaction),
  page: z.number().int().describe('The page number, as requested'),
  size: z.number().int().describe('The page size, as requested'),
  total: z.number().int().describe('The number of pages'),
  totalElements: z.number().int().describe('The number of matching transactions')
}).meta({ id: 'PageTransactionDTO' })
