/**
 * The folders `npm run mutate` mutates, and the narrow set of test files that judges each (the tap
 * runner runs a file for a mutant only when that file reached the mutated code in the dry run).
 * Files that start the built server (dist/) are left out: a mutant of src/ never reaches them.
 */
export const FOLDERS = {
  auth: ['test/auth/**/*.test.ts'],
  webhooks: ['test/webhooks/{consumer-cap,delivery,delivery-chaos,event-date,record-failure,retry-spacing,self-target}.test.ts', 'test/routes/mock/webhooks/*.test.ts'],
  domain: ['test/domain/**/*.test.ts', 'test/routes/customer-purse/*.test.ts', 'test/routes/subscription/*.test.ts', 'test/routes/mock/{accounts,deposits,purses,reset}.test.ts'],
  json: ['test/json/**/*.test.ts', 'test/plugins/json-body.test.ts']
}
