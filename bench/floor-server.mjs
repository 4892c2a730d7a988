import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { createServer } from 'node:http'
import Database from 'better-sqlite3'

// The floor under any durable signed create: node:http, the HMAC check, JSON.parse and one SQLite
// insert per request, committed in groups as the mock does, with the mock's table and pragmas. No
// framework, no validation, no journal or log. It shows how much of the gap to the bare server a
// faithful mock cannot close.
const [databasePath, secret] = process.argv.slice(2)
const db = new Database(databasePath)
for (const pragma of ['locking_mode = EXCLUSIVE', 'journal_mode = WAL', 'synchronous = NORMAL', 'wal_autocheckpoint = 10000']) db.pragma(pragma)
db.exec(`CREATE TABLE customers (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, email TEXT, description TEXT,
  external_id TEXT, blocked INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX customers_by_account ON customers (account, seq);`)
const insert = db.prepare('INSERT INTO customers (id, account, email, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *')
const commit = db.transaction(function insertAll (jobs) { for (const job of jobs) job.row = insert.get(...job.values) })
let queue = []

function verify (raw, sign) {
  const expected = createHmac('sha512', secret).update(raw).digest()
  const given = Buffer.from(String(sign), 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

function parse (raw) {
  return JSON.parse(raw.toString('utf8'))
}

function flush () {
  const jobs = queue
  queue = []
  commit(jobs)
  for (const job of jobs) job.answer(job.row)
}

const server = createServer((request, response) => {
  const chunks = []
  request.on('data', (chunk) => chunks.push(chunk))
  request.on('end', () => {
    const raw = Buffer.concat(chunks)
    if (!verify(raw, request.headers.sign)) {
      response.writeHead(400).end('{"errorCode":"003"}')
      return
    }
    const { account, payload } = parse(raw)
    const now = new Date().toISOString()
    if (queue.length === 0) setImmediate(flush)
    queue.push({
      values: [randomUUID(), account, payload.email ?? null, payload.description ?? null, now, now],
      answer: function answer (row) {
        const body = JSON.stringify({ id: row.id, email: row.email, description: row.description, externalId: row.external_id, blocked: row.blocked === 1 })
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) })
        response.end(body)
      }
    })
  })
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${server.address().port}\n`)
})
process.on('SIGTERM', () => server.close(() => { db.close(); process.exit(0) }))
