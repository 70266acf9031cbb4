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

/** Each ECharts chart's container size and the size its canvas (or SVG) is drawn at, in CSS px. */
export async function chartSizes(page: Page): Promise<{ box: [number, number]; drawn: [number, number] }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[_echarts_instance_]')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => {
        const surface = el.querySelector<HTMLElement>('canvas, svg')
        const r = surface?.getBoundingClientRect()
        return { box: [el.clientWidth, el.clientHeight] as [number, number], drawn: [Math.round(r?.width ?? -1), Math.round(r?.height ?? -1)] as [number, number] }
      })
  )
}

/**
 * Waits until every visible chart is drawn at its container's size and those sizes held for three polls
 * in a row (vue-echarts' autoresize is throttled, so a chart can lag a layout change by ~100 ms).
 */
export async function waitForChartsSettled(page: Page, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  let stable = 0
  for (;;) {
    const sizes = await chartSizes(page)
    const key = JSON.stringify(sizes)
    const drawnAtSize = sizes.every((c) => Math.abs(c.box[0] - c.drawn[0]) <= 1 && Math.abs(c.box[1] - c.drawn[1]) <= 1)
    stable = drawnAtSize && key === last ? stable + 1 : 0
    last = key
    if (stable >= 2) return
    if (Date.now() > deadline) throw new Error(`charts still resizing after ${timeoutMs} ms: ${key}`)
    await page.waitForTimeout(60)
  }
}

/** A full-page screenshot once every chart has finished resizing (never a chart caught mid-resize). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await waitForChartsSettled(page)
  await page.screenshot({ path, fullPage: true })
  return path
}
