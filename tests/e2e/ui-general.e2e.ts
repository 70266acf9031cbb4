/**
 * Screen 6, general: empty states that say what to do first, the ready-made "paper: under- vs
 * over-commit" layouts and one-click comparison, keyboard navigation for the main actions, and API
 * errors shown as readable messages (never a blank screen).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext
const dir = mkdtempSync(join(tmpdir(), 'ecs-ui-general-'))

beforeAll(async () => {
  process.env.ECS_LAB_DB = join(dir, 'lab.sqlite')
  ctx = await openApp()
  // the machine may be busy (2 cores shared with simulation workers): be patient, not flaky
  ctx.page.setDefaultTimeout(90_000)
  vi.setConfig({ expect: { poll: { timeout: 30_000, interval: 100 } } })
})

afterAll(async () => {
  await ctx?.close()
  rmSync(dir, { recursive: true, force: true })
})

async function goto(hash: string): Promise<void> {
  await ctx.page.evaluate((h) => { window.location.hash = h }, hash)
}

describe('general', () => {
  it('shows empty states that tell a new user what to do first', async () => {
    const { page } = ctx
    await page.getByTestId('getting-started').waitFor()
    await goto('#/runs')
    await page.getByTestId('runs-empty').waitFor()
    await goto('#/compare')
    await page.getByTestId('compare-empty').waitFor()
    await goto('#/run')
    await page.getByTestId('run-empty').waitFor()
    await screenshot(page, 'ui-run-empty')
  })

  it('navigates with the keyboard', async () => {
    const { page } = ctx
    await page.locator('body').click()
    await page.keyboard.press('Alt+2')
    await page.waitForURL(/#\/layouts/)
    await page.keyboard.press('Alt+5')
    await page.waitForURL(/#\/runs/)
    await page.keyboard.press('/')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('runs-search')
    await page.keyboard.press('Escape')
    await page.locator('body').click()
    await page.keyboard.press('?')
    await page.getByTestId('shortcuts-help').waitFor()
    await screenshot(page, 'ui-shortcuts')
    await page.keyboard.press('Escape')
    await page.getByTestId('shortcuts-help').waitFor({ state: 'detached' })
    // Ctrl+Enter starts a run from the run page, Tab reaches the main actions
    await goto('#/run?preset=quick&policies=kvm&seeds=1')
    await page.getByTestId('run-setup').waitFor()
    await page.getByTestId('run-seeds').focus()
    await page.keyboard.press('Control+Enter')
    await page.getByTestId('run-results').waitFor({ timeout: 60_000 })
    await page.keyboard.press('Alt+1')
    await page.waitForURL(/#\/$/)
    await page.keyboard.press('Alt+t')
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark')
    await page.keyboard.press('Alt+t')
  })

  it('shows API errors as readable messages, never a blank screen', async () => {
    const { page } = ctx
    await goto('#/layouts/no-such-layout')
    await expect.poll(() => page.getByTestId('layout-error').innerText()).toMatch(/no-such-layout|not found/i)
    await goto('#/compare?runs=zz')
    await expect.poll(() => page.getByTestId('compare-error').innerText()).toMatch(/runs:get: invalid arguments: args\.0: a run id is 6 to 64 lowercase hex digits/)
    await screenshot(page, 'ui-api-error')
    await goto('#/run?runs=abcdef01')
    await page.getByRole('alert').first().waitFor()
    expect((await page.locator('#app').innerText()).length).toBeGreaterThan(50)
  })

  it('creates the paper layouts and runs the one-click comparison', async () => {
    const { page } = ctx
    await page.getByTestId('nav-home').click()
    await page.getByTestId('paper-layout').click()
    await page.getByTestId('layout-editor').waitFor()
    await expect.poll(() => page.getByTestId('commit-ratio').getAttribute('data-ratio')).toBe('2')
    expect(await page.getByTestId('pcpu').count()).toBe(80)
    await screenshot(page, 'ui-paper-layout')
    await page.getByTestId('nav-home').click()
    await page.getByTestId('paper-run').click()
    await page.getByTestId('sweep-result').waitFor()
    await expect.poll(() => page.locator('[data-testid=sweep-table] tbody tr').count(), { timeout: 150_000 }).toBe(2)
    await page.getByTestId('chart-sweep').locator('canvas').first().waitFor()
    await screenshot(page, 'ui-paper-comparison')
    const errors = ctx.pageErrors.filter((e) => !/status of 4\d\d/.test(e))
    expect(errors).toEqual([])
  })
})
