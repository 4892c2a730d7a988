import globals from 'globals'
import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', '.tap/**', 'coverage/**', '.stryker-tmp/**', 'reports/**', 'test/openapi/client.generated.ts', 'test/openapi/mock-client.generated.ts'] }),
  {
    // The dashboard's modules run in the browser.
    files: ['src/dashboard/**/*.js'],
    languageOptions: { globals: globals.browser }
  },
  {
    rules: {
      // `void promise` marks a promise deliberately left to run.
      'no-void': ['error', { allowAsStatement: true }]
    }
  }
]
