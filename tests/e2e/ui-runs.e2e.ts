/**
 * Screens 2 and 4: a batch started from a preset with live progress, the saved-runs table (search,
 * filters, conditions on any parameter, tags and notes, re-run, delete with confirmation), compare
 * 2..N runs with a parameter diff, and a commit-level sweep campaign with its ratio chart and
 * parallel-coordinates view. Tiny scenarios (4 pCPUs, 10-20 ms simulated).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { listPresets } from '../../src/sim'
import { chartSizes, openApp, screenshot, type E2eContext } from './browser'

let ctx: E2eContext
const dir = mkdtempSync(join(tmpdir(), 'ecs-ui-runs-'))
const policies = listPresets().policies.map((p) => p.id)
const other = policies.includes('ecs') ? 'ecs' : policies.find((p) => p !== 'kvm')!

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
  const { page } = ctx
  await page.evaluate((h) => { window.location.hash = h }, hash)
}

describe('runs, saved runs and compare', () => {
  it('starts a preset batch from a link and follows it to the results', async () => {
    const { page } = ctx
    await goto(`#/run?preset=quick&policies=kvm,${other}&seeds=2&auto=1`)
    await page.getByTestId('run-progress').waitFor()
    await page.getByTestId('run-results').waitFor({ timeout: 120_000 })
    expect(await page.locator('[data-testid=run-progress-row][data-status=done]').count()).toBe(4)
    // starting the same batch again reuses the stored runs (deterministic engine)
    await page.getByTestId('run-start').click()
    await expect.poll(() => page.locator('[data-testid=run-progress-row]').first().innerText()).toContain('(stored)')
  })

  it('shows live progress with simulated time and ETA, and cancels with Esc', async () => {
    const { page } = ctx
    await goto('#/run?preset=overcommit-2x&policies=kvm&seeds=1&durationMs=3000')
    await page.getByTestId('run-setup').waitFor()
    await expect.poll(() => page.getByTestId('run-duration').inputValue()).toBe('3000')
    await page.getByTestId('run-start').click()
    const row = page.getByTestId('run-progress-row').first()
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('running')
    await expect.poll(() => row.innerText(), { timeout: 60_000 }).toMatch(/\d+(\.\d+)? ms \/ 3 s/)
    // the page stays responsive while the worker runs: navigate away and back
    await page.getByTestId('nav-layouts').click()
    await page.getByTestId('nav-run').click()
    await screenshot(page, 'ui-run-progress')
    // focus out of any field (Esc in an input is the input's), on a spot that is no control: the
    // page's heading (the body's centre moves with the form's layout and can land on a checkbox label)
    await page.getByRole('heading', { name: 'Run and compare' }).click()
    await page.keyboard.press('Escape')
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled')
  })

  it('searches, filters, tags and annotates saved runs', async () => {
    const { page } = ctx
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-table').waitFor()
    await page.getByTestId('status-cancelled').check()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(1)
    await page.getByTestId('runs-delete').first().click()
    await page.getByTestId('confirm-ok').click()
    await page.getByTestId('status-cancelled').uncheck()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    await page.getByTestId('runs-commit').selectOption('2')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    await page.getByTestId('runs-workload').selectOption('spinlock-heavy')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    await page.getByTestId('runs-commit').selectOption('')
    await page.getByTestId('runs-workload').selectOption('')
    await page.getByTestId(`filter-policy-${other}`).check()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(2)
    await page.getByTestId(`filter-policy-${other}`).uncheck()
    await page.getByTestId('status-done').check()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    await page.getByTestId('status-done').uncheck()
    // a condition on any scenario parameter: the quick preset has 4 pCPUs
    await page.getByTestId('cond-add').click()
    await page.getByTestId('cond-field-0').fill('param:host.pcpus')
    await page.getByTestId('cond-op-0').selectOption('>')
    await page.getByTestId('cond-value-0').fill('4')
    await page.getByTestId('cond-value-0').press('Tab')
    await page.getByTestId('runs-none-match').waitFor()
    await page.getByTestId('cond-op-0').selectOption('=')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    await page.getByRole('button', { name: 'Remove condition 1' }).click()
    // tags and notes on the first row
    await page.getByTestId('runs-edit').first().click()
    await page.getByTestId('edit-tags').fill('keep favourite')
    await page.getByTestId('edit-note').fill('the one with the odd spike')
    await page.getByTestId('edit-save').click()
    await page.getByTestId('edit-dialog').waitFor({ state: 'detached' })
    await page.getByTestId('runs-search').fill('odd spike')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(1)
    await page.getByTestId('runs-search').fill('')
    await page.getByTestId('runs-tag').selectOption('favourite')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(1)
    await page.getByTestId('runs-tag').selectOption('')
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    // sort by policy
    await page.getByTestId('sort-policy').click()
    const pols = await page.getByTestId('runs-row').evaluateAll((rows) => rows.map((r) => r.children[2].textContent))
    expect(pols).toEqual([...pols].sort())
    await screenshot(page, 'ui-saved-runs-filtered')
  })

  it('compares runs with a parameter diff and overlaid metrics', async () => {
    const { page } = ctx
    const boxes = page.getByTestId('runs-select')
    await boxes.nth(0).check()
    await boxes.nth(3).check()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('runs-export-csv').click()])
    const csv = join(dir, download.suggestedFilename())
    await download.saveAs(csv)
    const lines = readFileSync(csv, 'utf8').trim().split('\n')
    expect(lines.length).toBeGreaterThan(2)
    await page.getByTestId('runs-compare').click()
    await page.getByTestId('param-diff').waitFor()
    const diffOnly = await page.locator('[data-testid=param-diff] tbody tr').count()
    await page.getByTestId('diff-only').uncheck()
    await expect.poll(() => page.locator('[data-testid=param-diff] tbody tr').count()).toBeGreaterThan(diffOnly + 10)
    await page.getByTestId('diff-only').check()
    await page.getByTestId('chart-compare-metrics').locator('canvas').first().waitFor()
    await screenshot(page, 'ui-compare')
  })

  it('re-runs and deletes with confirmation', async () => {
    const { page } = ctx
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-table').waitFor()
    await page.getByTestId('runs-rerun').first().click()
    await page.getByTestId('run-progress').waitFor()
    await page.getByTestId('nav-runs').click()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    await page.getByTestId('runs-delete').first().click()
    await page.getByTestId('confirm-dialog').waitFor()
    await page.getByTestId('confirm-ok').click()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(3)
  })

  it('sweeps the commit level and shows the ratio and the parallel coordinates', async () => {
    const { page } = ctx
    await page.getByTestId('nav-sweep').click()
    await page.getByTestId('sweep-setup').waitFor()
    await page.getByTestId('sweep-pcpus').fill('4')
    await page.getByTestId('sweep-levels').fill('0.5, 1, 2')
    await page.getByTestId('sweep-duration').fill('10')
    await page.getByTestId('sweep-start').click()
    await page.getByTestId('sweep-result').waitFor()
    await page.getByTestId('sweep-table').waitFor({ timeout: 120_000 })
    await expect.poll(() => page.locator('[data-testid=sweep-table] tbody tr').count(), { timeout: 120_000 }).toBe(3)
    await page.getByTestId('chart-sweep').locator('canvas').first().waitFor()
    await screenshot(page, 'ui-sweep')
    // a layout change just before a screenshot: it waits for the charts to be redrawn at their new size
    await page.setViewportSize({ width: 1000, height: 900 })
    await screenshot(page, 'ui-sweep-narrow')
    const sizes = await chartSizes(page)
    expect(sizes.length).toBeGreaterThan(0)
    for (const c of sizes) expect(c.drawn).toEqual(c.box)
    await page.setViewportSize({ width: 1400, height: 900 })
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('campaigns-table').waitFor()
    await page.getByTestId('campaign-parallel').first().click()
    await page.getByTestId('chart-parallel').locator('canvas').first().waitFor()
    // any stored metric can be added as an axis
    await page.getByTestId('parallel-metrics').selectOption(['preemptions.total'])
    await screenshot(page, 'ui-parallel')
    // delete the campaign with its runs, after confirmation
    await page.getByTestId('nav-runs').click()
    const before = await page.getByTestId('runs-row').count()
    await page.getByTestId('campaign-delete').first().click()
    await page.getByTestId('campaign-delete-runs').check()
    await page.getByTestId('confirm-campaign-ok').click()
    await page.getByTestId('campaigns-table').waitFor({ state: 'detached' })
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(before - 12)
    expect(ctx.pageErrors).toEqual([])
  })
})
