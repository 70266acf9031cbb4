/**
 * Shared e2e plumbing: the real services behind the loopback web harness, and a Chromium (CHROMIUM_PATH,
 * else a system one, else the one inside @sparticuz/chromium: find-browser.ts) driven by playwright-core.
 * Screenshots go to test-results/e2e/.
 */
import { chromium, type Browser, type Page } from 'playwright-core'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_RENDERER_DIR, startHarness, type Harness } from '../../src/web/harness'
import { browserForTests } from './find-browser'

export const SCREENSHOT_DIR = join(__dirname, '../../test-results/e2e')

export interface E2eContext {
  /** Folder holding this test file's store. */
  dataDir: string
  harness: Harness
  browser: Browser
  page: Page
  /** Console errors and uncaught page errors seen so far. */
  pageErrors: string[]
  close(): Promise<void>
}

export async function openApp(): Promise<E2eContext> {
  if (!existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` before the e2e tests (npm test does).')
  }
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  // Each test file gets its own throw-away store, so runs never touch the user's data.
  const dataDir = mkdtempSync(join(tmpdir(), 'ecs-lab-e2e-'))
  const harness = await startHarness({ dbPath: join(dataDir, 'ecs-lab.sqlite') })
  const choice = await browserForTests()
  const browser = await chromium.launch({
    executablePath: choice.executablePath,
    ...(choice.env ? { env: { ...process.env, ...choice.env } } : {}),
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  const pageErrors: string[] = []
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text())
  })
  await page.goto(harness.server.url)
  return {
    dataDir,
    harness,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close()
      await harness.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
