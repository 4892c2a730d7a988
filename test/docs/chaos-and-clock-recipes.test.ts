import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { tempDir } from '../support/helper.js'

const ROOT = join(import.meta.dirname, '..', '..')
const INDEX = join(ROOT, 'src', 'index.ts')
const REGISTER = join(ROOT, 'test', 'support', 'ts-register.mjs')

/** The ```ts blocks of a docs page: each is a whole test file a merchant could copy. */
function examples (page: string): string[] {
  const text = readFileSync(join(ROOT, 'docs', page), 'utf8')
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
}

for (const page of ['delivery-chaos.md', 'test-clock.md']) {
  t.test(`the recipe of docs/${page} runs as written and passes`, async (t) => {
    const blocks = examples(page)
    t.equal(blocks.length, 1, 'one recipe')
    const file = join(tempDir(t), 'recipe.test.ts')
    // The package's name resolves to this checkout's source; nothing else of the recipe changes.
    writeFileSync(file, (blocks[0] as string).replace(/from 'calypso-mock'/g, `from ${JSON.stringify(INDEX)}`))
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', REGISTER, '--test', '--test-reporter=tap', file], { cwd: ROOT, encoding: 'utf8' })
      .catch((err: { stdout?: string, stderr?: string }) => ({ stdout: `${err.stdout ?? ''}${err.stderr ?? ''}` }))
    t.match(stdout, /^# pass 1$/m, stdout)
    t.match(stdout, /^# fail 0$/m)
  })
}
