import type { Statement } from 'better-sqlite3'
import type { Db } from './database.js'

/** For queries whose SQL depends on the filters given: each distinct text is prepared once and kept. */
export function createStatementCache<Row = unknown> (db: Db): (sql: string) => Statement<unknown[], Row> {
  const prepared = new Map<string, Statement<unknown[], Row>>()
  return (sql) => {
    let statement = prepared.get(sql)
    if (statement === undefined) {
      statement = db.prepare<unknown[], Row>(sql)
      prepared.set(sql, statement)
    }
    return statement
  }
}
