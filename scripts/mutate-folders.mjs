/**
 * The folders `npm run mutate` mutates, and the narrow set of test files that judges each (the tap
 * runner runs a file for a mutant only when that file reached the mutated code in the dry run).
 * Files that start the built server (dist/) are left out: a mutant of src/ never reaches them.
 */
export const FOLDERS = {
  auth: ['test/auth/**/*.test.ts'],
  webhooks: ['test/webhooks/{consumer-cap,delivery,delivery-chaos,delivery-chaos-edges,delivery-waiters,dispatcher,event-date,record-failure,retry-spacing,self-target,self-target-edges,send-webhook,throttled-log}.test.ts', 'test/routes/mock/webhooks/*.test.ts'],
  domain: ['test/domain/**/*.test.ts', 'test/routes/**/*.test.ts', 'test/store/persistence.test.ts'],
  json: ['test/json/**/*.test.ts', 'test/plugins/json-body.test.ts']
}
