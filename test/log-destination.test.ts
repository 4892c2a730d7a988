import { spawn } from 'node:child_process'
import { once } from 'node:events'
import t from 'tap'
import { createLogDestination, writeFully } from '../src/log-destination.js'

function capture () {
  const writes: string[] = []
  return { writes, out: (text: string) => { writes.push(text) } }
}

t.test('the lines of one turn go out in one write, at the end of that turn, in order', async (t) => {
  const { writes, out } = capture()
  const destination = createLogDestination(out)
  t.teardown(() => process.off('exit', destination.flush))
  destination.write('{"a":1}\n')
  destination.write('{"b":2}\n')
  t.same(writes, [], 'nothing is written inside the turn')
  await new Promise((resolve) => setImmediate(resolve))
  t.same(writes, ['{"a":1}\n{"b":2}\n'])
  destination.write('{"c":3}\n')
  await new Promise((resolve) => setImmediate(resolve))
  t.same(writes, ['{"a":1}\n{"b":2}\n', '{"c":3}\n'], 'a later turn has its own write')
})

t.test('a held line is written when the process exits before the turn ends', async (t) => {
  const script = `import { createLogDestination } from ${JSON.stringify(new URL('../src/log-destination.ts', import.meta.url).href)}
    createLogDestination().write('{"last":true}\\n')
    process.exit(3)`
  const child = spawn(process.execPath, ['--import', new URL('./support/ts-register.mjs', import.meta.url).href, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString() })
  const [code] = await once(child, 'close')
  t.equal(code, 3)
  t.equal(out, '{"last":true}\n')
})

t.test('writeFully waits out a full pipe: every byte reaches a reader slower than the writer', async (t) => {
  const reader = spawn(process.execPath, ['-e', 'let n = 0; process.stdin.on("data", (c) => { n += c.length }); process.stdin.on("end", () => process.stdout.write(String(n)))'], { stdio: ['pipe', 'pipe', 'inherit'] })
  let counted = ''
  reader.stdout.on('data', (chunk: Buffer) => { counted += chunk.toString() })
  const fd = (reader.stdin as unknown as { _handle: { fd: number } })._handle.fd
  const text = 'x'.repeat(4 * 1024 * 1024)
  writeFully(fd, text)
  reader.stdin.end()
  await once(reader, 'close')
  t.equal(Number(counted), text.length, 'four pipe buffers\' worth, far more than one pipe holds')
})
