import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { profileCreate, profileTable } from './profile.js'
const scratch = mkdtempSync(join(tmpdir(), 'speed-'))
for (let i = 0; i < 2; i++) {
  process.env.BENCH_PROFILE_DIR = `/tmp/speed/p-new-${i}-${Date.now()}`
  console.log('NEW\n' + profileTable(await profileCreate(scratch, 8)))
  process.env.BENCH_PROFILE_DIR = `/tmp/speed/p-base-${i}-${Date.now()}`
  console.log('BASE\n' + profileTable(await profileCreate(scratch, 8, '/tmp/speed/base/bench/profile-entry.mjs')))
}
