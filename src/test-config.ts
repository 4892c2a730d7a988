import { loadConfig, type Config } from './config.js'

/** A config for tests and embedding: defaults plus overrides, on an in-memory database. */
export function testConfig (overrides: Partial<Config> = {}): Config {
  return Object.freeze({ ...loadConfig({ DATABASE_PATH: ':memory:' }), ...overrides })
}
