import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { Reason } from '../../src/errors.js'
import { testConfig } from '../../src/test-config.js'
import { tempDir } from '../support/helper.js'

/** Starts on a seed file holding `text`; resolves with the start's error message, or undefined when it started. */
async function startOn (t: Parameters<typeof tempDir>[0], name: string, text: string): Promise<string | undefined> {
  const path = join(tempDir(t), name)
  writeFileSync(path, text)
  try {
    const app = await buildApp(testConfig({ seedFile: path }))
    await app.close()
    return undefined
  } catch (err) {
    return (err as Error).message
  }
}

t.test('a JSON seed with a key given twice is refused, as the API refuses it (it kept the last one)', async (t) => {
  const message = await startOn(t, 'seed.json', '{"customers": [{"email": "a@example.com", "email": "b@example.com"}]}')
  t.match(message, /^SEED_FILE .*seed\.json: cannot be read as JSON: /)
  t.match(message, Reason.duplicateKey('customers[0].email'))
})

t.test('a seed with a lone surrogate is refused, naming the field (it was stored as U+FFFD)', async (t) => {
  const json = await startOn(t, 'seed.json', '{"customers": [{"email": "a@example.com", "description": "x\\ud800y"}]}')
  t.match(json, Reason.loneSurrogate('customers.0.description'))
  const yaml = await startOn(t, 'seed.yaml', 'customers:\n  - email: a@example.com\n    description: "x\\ud800y"\n')
  t.match(yaml, Reason.loneSurrogate('customers.0.description'))
})

t.test('a well-formed seed still loads', async (t) => {
  t.equal(await startOn(t, 'seed.json', '{"customers": [{"email": "a@example.com", "description": "emoji \\ud83d\\ude00"}]}'), undefined)
})
