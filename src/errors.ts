/**
 * Calypso's error catalog. Every error the mock answers with is one of these codes, in Calypso's
 * body `{errorCode, message, traceId}`. The code's base message is Calypso's own wording; the
 * mock appends what exactly was wrong so a merchant can fix it without guessing.
 */
export const ErrorCode = {
  INTERNAL: '000',
  BAD_REQUEST: '001',
  INVALID_API_KEY: '002',
  WRONG_SIGN: '003',
  NOT_FOUND: '004',
  INVALID_TIMESTAMP: '011'
} as const

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode]

export const ERROR_CATALOG: Record<ErrorCodeValue, { message: string, status: number }> = {
  '000': { message: 'Internal server error', status: 500 },
  '001': { message: 'Bad request', status: 400 },
  '002': { message: 'Invalid api key', status: 400 },
  '003': { message: 'Wrong sign', status: 400 },
  '004': { message: 'Requested object is not found', status: 400 },
  '011': { message: 'Invalid timestamp parameter', status: 400 }
}

export class ApiError extends Error {
  readonly errorCode: ErrorCodeValue
  readonly statusCode: number

  constructor (errorCode: ErrorCodeValue, detail?: string, statusCode?: number) {
    const base = ERROR_CATALOG[errorCode].message
    super(detail === undefined ? base : `${base}: ${detail}`)
    this.name = 'ApiError'
    this.errorCode = errorCode
    this.statusCode = statusCode ?? ERROR_CATALOG[errorCode].status
  }
}

export interface ErrorBody {
  errorCode: string
  message: string
  traceId: string
}

/** The mock's own detail messages; tests assert against these, never against copied strings. */
export const Reason = {
  keyMissing: 'the Key header is missing',
  keyUnknown: (key: string) => `no account has the api key ${JSON.stringify(truncate(key))}`,
  keyNotForAccount: (account: string) => `this api key does not belong to account ${account}`,
  accountCase: (sent: string, issued: string) =>
    `account: ${sent} is this api key's account ${issued} written in other letter case; the mock compares accounts exactly, as Calypso's docs do not say case is ignored`,
  signMissing: 'the Sign header is missing',
  signMalformed: 'the Sign header must be 128 hex characters (HMAC-SHA512 of the raw body)',
  signNotLowercase: 'the Sign header must be lowercase hex, as Calypso\'s docs compute it (Python hexdigest(), crypto-js enc.hex); the mock does not assume Calypso accepts uppercase',
  signMismatch: 'the Sign header is not the HMAC-SHA512 of the exact request body bytes with the secret of this api key',
  signMismatchWithHint: (hint: string | undefined) => hint === undefined ? Reason.signMismatch : `${Reason.signMismatch}: ${hint}`,
  signHintApiKey: 'it was made with the api key instead of the api secret',
  signHintCompacted: 'it matches the body re-serialised without spaces, not the bytes sent',
  signHintPretty: 'it matches the body pretty-printed, not the bytes sent',
  timestampMissing: 'timestamp is missing; send the current unix time in milliseconds',
  timestampNotInteger: 'timestamp must be an integer number of milliseconds',
  timestampOutOfWindow: (skewMs: number, windowMs: number) =>
    `timestamp is ${Math.abs(skewMs)} ms ${skewMs < 0 ? 'behind' : 'ahead of'} the server clock; the allowed window is ±${windowMs} ms`,
  bodyMissing: 'the request body is empty; send the JSON envelope {account, timestamp, payload}',
  mockBodyEmpty: 'the request body is empty but Content-Type says JSON; send a JSON object such as {}',
  bodyNotJson: (detail: string) => `the request body is not valid JSON (${detail})`,
  duplicateKey: (path: string) => `${truncate(path)} appears twice in one object of the body; JSON leaves open which one counts, so the mock refuses it`,
  charsetNotUtf8: (charset: string) => `Content-Type charset must be utf-8 (got ${JSON.stringify(truncate(charset, 40))}): the body is read, and its Sign checked, as UTF-8 bytes`,
  queryString: (query: string) => `the query string ${JSON.stringify(truncate(query))}: Calypso's endpoints take no query parameters, so the mock refuses them rather than ignore them`,
  bodyNotUtf8: 'the request body is not valid UTF-8',
  loneSurrogate: (field: string) => `${field}: a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape) is not text; it cannot be stored or sent back unchanged`,
  bodyNotObject: 'the request body must be a JSON object {account, timestamp, payload}',
  bodyTooLarge: (limit: number) => `the request body is larger than the ${limit} byte (1 MiB) limit`,
  contentType: (got: string | undefined) => `Content-Type must be application/json${got === undefined ? ' (none was sent)' : `, got ${JSON.stringify(truncate(got))}`}`,
  accountInvalid: 'account must be 0x followed by 40 hex digits',
  uuidNotLowercase: 'must be a lowercase UUID, as Calypso writes its ids; the docs say only "uuid", so the mock refuses other letter case',
  unknownQueryParameters: (keys: readonly string[]) => `unknown query parameter${keys.length === 1 ? '' : 's'} ${keys.map((k) => JSON.stringify(truncate(k, 40))).join(', ')}`,
  unknownMockFields: (keys: readonly string[], known: readonly string[]) =>
    `unknown field${keys.length === 1 ? '' : 's'} ${keys.slice(0, 5).map((k) => JSON.stringify(truncate(k, 40))).join(', ')}${keys.length > 5 ? ', …' : ''}; ${known.length === 0 ? 'this body takes no field: send {}' : `this body takes ${known.join(', ')} (names are case-sensitive)`}`,
  unknownFields: (keys: readonly string[]) =>
    `unknown field${keys.length === 1 ? '' : 's'} ${keys.slice(0, 5).map((k) => JSON.stringify(truncate(k, 40))).join(', ')}${keys.length > 5 ? ', …' : ''}; Calypso's docs list no such field, so the mock refuses it rather than ignore it`,
  customerNotFound: (id: string) => `no customer ${id} in this account`,
  transactionNotFound: (id: string) => `no transaction ${id} in this account`,
  deliveryNotFound: (id: number) => `no webhook delivery ${id}`,
  unknownCurrency: (currency: string, known: readonly string[]) =>
    `payload.currency: unknown currency ${JSON.stringify(truncate(currency))}; supported: ${known.join(', ')}`,
  noRoute: (method: string, url: string) => `no route ${method} ${truncate(url)}`,
  injectedFault: (faultId: number) => `injected by /_mock/faults (fault ${faultId})`,
  webhookStopped: 'aborted: the mock was shutting down',
  faultFieldNotOfKind: (field: string, kind: string) => `${field} does not apply to a ${kind} fault`,
  faultFieldNeeded: (field: string, kind: string) => `a ${kind} fault needs ${field}`,
  sendDelayTooLong: (maxMs: number) => `a delay fault waits at most ${maxMs} ms before a send`,
  timesOrUntilCleared: 'give times or untilCleared, not both',
  noAccount: 'no account is configured: name one with account',
  stepEveryOrStopAt: 'give stepEveryMs (steps wait on the clock) or stopAt (the deposit pauses until advanced), not both',
  injectedWebhookFault: (status: number, faultId: number) => `HTTP ${status}: injected by /_mock/webhooks/faults (fault ${faultId})`,
  addressNotFound: (address: string) => `no purse has the address ${truncate(address)}`,
  currencyNotOnChain: (currency: string, network: string, address: string) => `currency ${currency} is not on the ${network} chain of address ${address}`,
  addressClosed: (address: string, status: string) =>
    `address ${address} is ${status}: an expired or declined address takes no deposits and is never handed out again (address/get gives the customer a new one)`,
  methodNotAllowed: (method: string, path: string, allowed: readonly string[]) =>
    `${truncate(method, 20)} is not allowed on ${truncate(path)}; it takes ${allowed.join(', ')}`,
  badUrl: (url: string) => `the URL ${JSON.stringify(truncate(url))} is not valid: a % must start a percent-encoded byte such as %2F`,
  paramTooLong: (max: number) => `a path parameter is longer than ${max} characters`,
  docsRefused: (url: string) => `the docs serve no file at ${truncate(url)}: paths with ., .. or empty segments are refused`,
  malformedHttp: (parserCode: string) => `the request is not well-formed HTTP/1.1 (${parserCode})`,
  expectationFailed: (expect: string) => `Expect: ${truncate(expect)} is not supported; only 100-continue is`,
  hostMissing: 'an HTTP/1.1 request needs a Host header',
  headersTooLarge: 'the request headers are larger than 16 KiB',
  requestTimeout: (ms: number) => `the request did not arrive in full within ${ms} ms (REQUEST_TIMEOUT_MS)`,
  responseTruncated: (totalBytes: number) => `… [truncated: ${totalBytes} bytes in all]`,
  resetBody: 'send {} to reset everything, or {"account": "0x…"} to reset one account',
  accountExists: (account: string) => `account: ${account} already exists`,
  apiKeyTaken: 'apiKey: this api key already belongs to another account',
  subscriptionExists: (requestId: string) => `payload.requestId: a subscription with requestId ${requestId} already exists; delete it first or use another requestId`,
  subscriptionNotFound: (requestId: string) => `no webhook subscription with requestId ${requestId}`,
  depositCustomerNotFound: (id: string) => `no customer ${id}`,
  confirmedAfterDecline: 'stopAt CONFIRMED cannot be reached by a deposit whose outcome is DECLINED',
  depositTransactionNotFound: (id: string) => `no transaction ${id}`,
  transactionComplete: (id: string, state: string, credited: boolean) => `transaction ${id} is complete (${state}${credited ? ', credited' : ''}) and cannot advance`,
  stopAtNotLater: (id: string, state: string) => `transaction ${id} is already at ${state}; stopAt must be a later state`,
  purseNotFound: (id: string) => `no purse ${id}`,
  purseCannotExpire: (id: string, status: string) => `purse ${id} is ${status}; only a PENDING_PAYMENT purse can expire`,
  accountNotFound: (account: string) => `no account ${account}`,
  notAnApiPath: (path: string) => `path: ${truncate(path)} is not an API path; see /openapi.json for the list`,
  noWebhookInTime: (timeoutMs: number) => `no matching webhook was delivered within ${timeoutMs} ms`,
  noWebhookSubscribed: (timeoutMs: number, account: string | undefined, eventType: string | undefined) =>
    `no matching webhook was delivered within ${timeoutMs} ms, and none can be: ${account === undefined ? 'no account has a webhook subscription' : `account ${account} has no webhook subscription`}${eventType === undefined ? '' : ` that receives ${eventType}`}, so nothing is delivered; start the mock with WEBHOOK_URL, or subscribe with subscription/webhook/create`,
  seedUnknownCurrency: 'unknown currency',
  seedAccountUnknown: (account: string) => `account: no account ${account}; list it under accounts, or configure it`,
  seedCustomerTwice: (id: string) => `id: customer ${id} is listed twice`,
  hostNotAllowed: (host: string) => `Host ${JSON.stringify(truncate(host))} is not a name this mock answers to: without MOCK_ADMIN_TOKEN it answers only to loopback names, IP addresses, HOST and ALLOWED_HOSTS, so that a web page whose name was pointed at this machine (DNS rebinding) cannot read or change it; add the name to ALLOWED_HOSTS (e.g. ALLOWED_HOSTS=${truncate(hostnameOfHeader(host), 60)}), or set MOCK_ADMIN_TOKEN`,
  originNotAllowed: (origin: string) => `Origin ${JSON.stringify(truncate(origin))} is not this mock's own: a page on another site may not change the mock; call /_mock from a program, the CLI, the library or the dashboard`,
  crossSiteMock: (site: string) => `Sec-Fetch-Site: ${site}: a page on another site may not use /_mock (open the URL directly, or call it from a program)`,
  mockContentType: (got: string | undefined) => `${Reason.contentType(got)}: a change to the mock takes a JSON body (send {} when there is nothing to say), which a page on another site cannot send without asking first`,
  adminTokenNeeded: 'the /_mock API needs the header Authorization: Bearer <MOCK_ADMIN_TOKEN>',
  customerOrAddress: 'give exactly one of customerId and address',
  faultNeedsEffect: 'give at least one of errorCode, status, body, delayMs and connection',
  faultConnectionAlone: 'a broken connection has no answer: give connection or errorCode/status/body, not both',
  stubBodyOrErrorCode: 'a body replaces Calypso\'s error body: give body or errorCode, not both',
  stubStatusNeedsBody: 'a status below 400 answers a stubbed body: give body too (Calypso\'s error body is for errors)',
  stubBodyTooLarge: (limit: number) => `a stubbed body is at most ${limit} bytes of JSON`,
  webhookToSelf: (why: string) => `payload.url: ${why}: a webhook sent there would be a request to the mock itself, and one to /_mock can make deliveries without end; point it at your receiver`,
  deliveryToSelf: (why: string) => `not sent: ${why}; a webhook to the mock itself can make deliveries without end`,
  tooManyLiveClients: (max: number) => `/_mock/events serves ${max} clients at once and has that many; close a dashboard tab or an events --follow, or read /_mock/requests and /_mock/webhooks/deliveries instead`,
  subscriptionNeedsType: 'name at least one event type or service type',
  snapshotNotFound: (name: string, account: string) => `no snapshot ${JSON.stringify(truncate(name, 64))} of account ${account}`,
  snapshotExists: (name: string) => `name: a snapshot ${JSON.stringify(truncate(name, 64))} exists already; delete it first, or send "replace": true`,
  snapshotLimit: (limit: number) => `this account keeps ${limit} snapshots already, the most it may; delete one first`,
  snapshotWithPendingDeliveries: (account: string, pending: number) =>
    `account ${account} has ${pending} webhook deliver${pending === 1 ? 'y' : 'ies'} still pending; a restore would send ${pending === 1 ? 'it' : 'them'} again, so wait until ${pending === 1 ? 'it is' : 'they are'} delivered or failed (GET /_mock/webhooks/deliveries?status=pending lists them)`
} as const

function hostnameOfHeader (host: string): string {
  return host.replace(/:\d*$/, '').toLowerCase()
}

function truncate (value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value
}

/** Why the server cannot start on its database; main prints these after "failed to start:". */
export const StartupProblem = {
  databaseHeld: (path: string) => `DATABASE_PATH=${path}: another calypso-mock holds ${path} (or another program has it open); stop it, or give this one another DATABASE_PATH`,
  fileReadOnly: (path: string) => `DATABASE_PATH=${path}: ${path} is read-only; the mock writes to its database`,
  folderNotWritable: (path: string, dir: string) => `DATABASE_PATH=${path}: ${dir} is not writable; SQLite creates the database and its -wal file there`,
  webhookUrlIsSelf: (url: string, why: string) => `WEBHOOK_URL=${url}: ${why}: a webhook sent there would be a request to the mock itself, and one to /_mock can make deliveries without end; point it at your receiver`,
  foreignTables: (path: string, tables: readonly string[]) => `DATABASE_PATH=${path}: not a calypso-mock database: it has the table${tables.length === 1 ? '' : 's'} ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}, which calypso-mock does not create, and the mock changes no database but its own; give it another DATABASE_PATH (a missing file is created)`,
  noMigrationRecord: (path: string, tables: readonly string[]) => `DATABASE_PATH=${path}: not a calypso-mock database: it has the tables ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''} but no record of calypso-mock's migrations (schema_migrations); give it another DATABASE_PATH (a missing file is created)`,
  unknownMigration: (path: string, version: number, name: string, mockVersion: string) => `DATABASE_PATH=${path}: it records migration ${version} (${name}), which calypso-mock ${mockVersion} does not know: a newer calypso-mock made it; run that version, or give this one another DATABASE_PATH`,
  cannotOpen: (path: string, cause: string) => `DATABASE_PATH=${path}: cannot open it (${cause})`
} as const

/** What the start banner warns about. */
export const StartupWarning = {
  exposed: (host: string) => `listening on ${host}, reachable from other machines, without MOCK_ADMIN_TOKEN: anyone who can reach this port can read every account's api secret at /_mock/accounts, read webhook receivers' responses in the delivery log (/_mock/webhooks/deliveries), and reset or change the mock's data. Set MOCK_ADMIN_TOKEN, or listen on 127.0.0.1`
} as const
