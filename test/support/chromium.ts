import { existsSync } from 'node:fs'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { scratchDir } from './scratch.js'
import { scaled } from './time-scale.js'

/** Debian's chromium: the browser tests drive it and download none of their own. */
export const CHROMIUM = '/usr/bin/chromium'

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

interface Teardown {
  teardown: (fn: () => unknown) => void
}

/**
 * One headless chromium with a fresh profile for a test file, closed after it. A machine without
 * chromium fails here, saying how to install it: the browser tests are never skipped.
 */
export async function launchChromium (t: Teardown, extraArgs: readonly string[] = []): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser tests need Debian's chromium. Install it with: apt-get update && apt-get install -y chromium`)
  }
  const profile = scratchDir(t, 'chromium')
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: [...ARGS, ...extraArgs], viewport: { width: 1280, height: 800 } })
  browser.setDefaultTimeout(scaled(10_000))
  browser.setDefaultNavigationTimeout(scaled(30_000))
  t.teardown(() => browser.close())
  return browser
}

/** Opens `url` in a new page of `browser`, closed after the test; an error thrown in the page fails the test. */
export async function openPage (browser: BrowserContext, t: Teardown, url: string): Promise<Page> {
  const page = await browser.newPage()
  t.teardown(() => page.close())
  const errors: string[] = []
  page.on('pageerror', (err) => errors.push(err.message))
  t.teardown(() => { if (errors.length > 0) throw new Error(`errors in the page: ${errors.join('; ')}`) })
  await page.goto(url)
  return page
}
