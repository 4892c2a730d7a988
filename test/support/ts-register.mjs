// `node --import ./test/support/ts-register.mjs file.ts` runs TypeScript as the tests do.
import { register } from 'node:module'

register('./ts-hooks.mjs', import.meta.url)
