import { z } from 'zod'
import { COMPLIANCE_STATES, SORT_COLUMNS, TRANSACTION_STATES } from '../domain/model.js'
import { int32, int64, isoDate, requestObject, requestUuid, uuid } from './common.js'

export const transactionState = z.enum(TRANSACTION_STATES).meta({ id: 'TransactionState', description: 'Where a customer purse transaction is: MEM_POOL_FOUND, PENDING_COMPLIANCE_CHECK, then DECLINED or CONFIRMED' })
export const complianceState = z.enum(COMPLIANCE_STATES).meta({ id: 'ComplianceState', description: 'The compliance check: UNCHECKED, IN_PROGRESS, then DECLINE or CHECKED' })

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

export const transactionIdPayload = requestObject({ transactionId: requestUuid }).meta({ id: 'ByTransactionIdRequestDTO' })

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

export const sortProperty = z.enum(Object.keys(SORT_COLUMNS) as [keyof typeof SORT_COLUMNS]).meta({ id: 'TransactionSortProperty' })

export const findTransactionsPayload = requestObject({
  customerId: requestUuid.optional(),
  currencyFilter: currencyFilter.optional(),
  transactionStateFilter: transactionStateFilter.optional(),
  pageNumber: int32().min(0).max(1_000_000).describe('Zero-based page number'),
  pageSize: int32().min(1).max(1000).describe('Results per page, 1 to 1000'),
  sort: z.enum(['ASC', 'DESC']).meta({ id: 'SortDirection' }).optional().describe('Sort direction; ASC when absent'),
  properties: sortProperty.optional().describe('The property to sort on; createdDate when absent')
}).meta({ id: 'FindTransactionsRequestDTO' })

export const transactionPage = z.object({
  result: z.array(transaction),
  page: int32().describe('The page number, as requested'),
  size: int32().describe('The page size, as requested'),
  total: int32().describe('The number of pages'),
  totalElements: int64().describe('The number of matching transactions')
}).meta({ id: 'PageTransactionDTO' })
