import t from 'tap'
import { fileTimeout } from '../support/time-scale.js'
import { testNotRunReasons, testPagesOf, testShardFiles } from './code-blocks.js'

// Each runnable block starts processes (bash, npm scripts through tsx, node): on a busy machine
// this shard's pages need more than tap's default time per file.
fileTimeout(240_000)

testShardFiles(t)
testNotRunReasons(t)
testPagesOf(t, 0)
