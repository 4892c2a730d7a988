import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { extname } from 'node:path'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { applySeed, customerEntry } from '../domain/seed.js'
import { Reason } from '../errors.js'
import { findDuplicateKey } from '../json/duplicate-keys.js'
import { loneSurrogateAt } from '../json/lone-surrogates.js'
import { seedData, type SeedData } from '../schemas/seed.js'

/** A seed file that cannot be loaded: the message names the file, the entry and the field. */
export class SeedFileError extends Error {
  constructor (path: string, detail: string) {
    super(`SEED_FILE ${path}: ${detail}`)
    this.name = 'SeedFileError'
  }
}

function parse (path: string, text: string): unknown {
  if (['.yaml', '.yml'].includes(extname(path).toLowerCase())) {
    // Required when a YAML seed is given, so a start without one never loads the parser.
    const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml')
    return yaml.parse(text, { prettyErrors: true })
  }
  const parsed: unknown = JSON.parse(text)
  // As the API refuses them: JSON.parse keeps the last of a key given twice, and SQLite would store a lone surrogate as U+FFFD.
  const duplicate = findDuplicateKey(text)
  if (duplicate !== undefined) throw new Error(Reason.duplicateKey(duplicate))
  return parsed
}

/** A seed holds text only: a lone surrogate (from a JSON or YAML escape) would be stored as U+FFFD. */
function refuseLoneSurrogate (path: string, input: unknown): void {
  const field = loneSurrogateAt(input)
  if (field !== undefined) throw new SeedFileError(path, Reason.loneSurrogate(field === 'body' ? 'the top level' : field))
}

/** `customers[2] (bob@example.com): deposits[0].amount` from a validation issue's path. */
function where (input: unknown, path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return 'the top level'
  const [list, index, ...rest] = path
  const field = rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
  let entry = `${String(list)}${index === undefined ? '' : `[${String(index)}]`}`
  if (list === 'customers' && typeof index === 'number') {
    const customer = (input as { customers?: Array<{ email?: unknown, externalId?: unknown }> }).customers?.[index]
    const name = (v: unknown) => (typeof v === 'string' ? v : undefined)
    entry = customerEntry(index, { email: name(customer?.email), externalId: name(customer?.externalId) })
  }
  return field === '' ? entry : `${entry}: ${field}`
}

/** Reads and checks a seed file; throws SeedFileError naming what is wrong and where. */
export function readSeedFile (path: string): SeedData {
  let input: unknown
  try {
    input = parse(path, readFileSync(path, 'utf8'))
  } catch (err) {
    throw new SeedFileError(path, `cannot be read as ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(err as Error).message}`)
  }
  refuseLoneSurrogate(path, input)
  const result = seedData.safeParse(input ?? {})
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new SeedFileError(path, `${where(input, issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

/**
 * SEED_FILE: accounts, customers, purses and deposits loaded at start into an empty database,
 * through the domain, in one transaction. A bad file stops the start; a database with data is left as it is.
 */
export default fp(async function seed (app: FastifyInstance) {
  const path = app.config.seedFile
  if (path === undefined) return
  const data = readSeedFile(path)
  const [main] = app.config.accounts
  try {
    const result = applySeed(app.domain, app.config.webhook, data, main?.account.toLowerCase() ?? '')
    app.log.info(result.loaded
      ? `seeded ${result.accounts} account(s) and ${result.customers} customer(s) from ${path}`
      : `${path} not loaded: the database already holds data (a seed loads only into an empty one)`)
  } catch (err) {
    throw new SeedFileError(path, (err as Error).message)
  }
}, { name: 'seed', dependencies: ['domain-context', 'webhooks'] })
