import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', '.tap/**', 'coverage/**', 'test/openapi/client.generated.ts'] }),
  {
    rules: {
      // `void promise` marks a promise deliberately left to run.
      'no-void': ['error', { allowAsStatement: true }]
    }
  }
]
