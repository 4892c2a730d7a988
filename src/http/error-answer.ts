import type { FastifyError, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import { ApiError, ErrorCode, Reason, type ErrorBody } from '../errors.js'
import { BODY_LIMIT } from './limits.js'

interface ValidationIssue {
  instancePath: string
  message?: string | undefined
}

function describeIssues (issues: readonly ValidationIssue[]): string {
  return issues.slice(0, 5).map((issue) => {
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.')
    return `${path === '' ? 'body' : path}: ${issue.message ?? 'invalid'}`
  }).join('; ') + (issues.length > 5 ? `; and ${issues.length - 5} more` : '')
}

/** Turns whatever was thrown into one of the catalog's errors. */
export function toApiError (err: FastifyError | ApiError | Error, request: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new ApiError(ErrorCode.BAD_REQUEST, describeIssues(err.validation))
  }
  const code = (err as FastifyError).code
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError(ErrorCode.BAD_REQUEST, Reason.bodyTooLarge(BODY_LIMIT))
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError(ErrorCode.BAD_REQUEST, Reason.contentType(request.headers['content-type']))
  }
  const status = (err as FastifyError).statusCode
  if (!isResponseSerializationError(err as FastifyError) && status !== undefined && status >= 400 && status < 500) {
    return new ApiError(ErrorCode.BAD_REQUEST, err.message)
  }
  return new ApiError(ErrorCode.INTERNAL)
}

export function errorBody (error: ApiError, request: FastifyRequest): ErrorBody {
  return { errorCode: error.errorCode, message: error.message, traceId: request.id }
}
