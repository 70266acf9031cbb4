/**
 * Policy variants in Run & compare: a bad parameter from a link comes back from main naming the field
 * and the allowed values, shown next to the policies; then `ecs {vetoCap: 1}` is added with the
 * generated form next to kvm and ecs on the tiny `quick` preset, and the results (table, preemption
 * rows, chart legends in the SVG export, CSV export, saved runs) keep the three apart.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { openApp, screenshot, type E2eContext } from './browser'
import { parseCsv } from '../../src/shared/charts'

let ctx: E2eContext
const VARIANT = 'ecs {vetoCap: 1}'

beforeAll(async () => {
  ctx = await openApp()
  ctx.page.setDefaultTimeout(90_000)
  vi.setConfig({ expect: { poll: { timeout: 30_000, interval: 100 } } })
})

afterAll(async () => {
  await ctx?.close()
})

async function goto(hash: string): Promise<void> {
  await ctx.page.evaluate((h) => { window.location.hash = h }, hash)
}

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()])
  return readFileSync(await dl.path()).toString('utf8')
}

describe('policy variants', () => {
  it('shows main\'s validation error for a bad parameter next to the policies', async () => {
    const { page } = ctx
    await goto('#/run?preset=quick&policies=kvm&variant=ecs:{"vetoCap":0}&seeds=1&durationMs=5')
    await expect.poll(() => page.getByTestId('variant-chip').count()).toBe(1)
    expect(await page.getByTestId('variant-chip').getAttribute('data-label')).toBe('ecs {vetoCap: 0}')
    await page.getByTestId('run-start').click()
    const err = page.getByTestId('variant-error')
    await err.waitFor()
    expect(await err.innerText()).toMatch(/policy\.params\.vetoCap: .*allowed: >= 1/)
    await page.getByTestId('variant-remove').click()
    await expect.poll(() => page.getByTestId('variant-chip').count()).toBe(0)
    // the error goes with the variant it was about
    await expect.poll(() => page.getByTestId('variant-error').count()).toBe(0)
  })

  it('adds ecs {vetoCap: 1} next to kvm and ecs, runs, and keeps three result columns', async () => {
    const { page } = ctx
    // 100 ms of the 4-pCPU quick preset: enough ticks for in-CS preemptions to tell the policies apart, under a second per run
    await goto('#/run?preset=quick&policies=kvm,ecs&seeds=2&durationMs=100')
    await expect.poll(() => page.getByTestId('run-duration').inputValue()).toBe('100')
    await page.getByTestId('variant-open').click()
    const form = page.getByTestId('variant-form')
    await form.getByTestId('variant-policy').selectOption('ecs')
    // the generated form: checkbox, select, nullable number, multi-checkbox
    await form.getByTestId('param-veto').waitFor()
    expect(await form.getByTestId('param-boost').evaluate((e) => e.tagName)).toBe('SELECT')
    await form.getByTestId('param-annotate-spinlock').waitFor()
    expect(await form.getByTestId('variant-add').isDisabled()).toBe(true)
    await form.getByTestId('param-vetoCap-unbounded').uncheck()
    await form.getByTestId('param-vetoCap').fill('0')
    await expect.poll(() => form.getByTestId('variant-problem').innerText()).toMatch(/vetoCap: 0 is out of range \(allowed: 1 to 1000000 or unbounded\)/)
    await form.getByTestId('param-vetoCap').fill('1')
    await expect.poll(() => form.getByTestId('variant-add').innerText()).toBe(`Add ${VARIANT}`)
    await screenshot(page, 'ui-policy-variant-form')
    await form.getByTestId('variant-add').click()
    await form.getByTestId('variant-close').click()
    await expect.poll(() => page.getByTestId('variant-chip').getAttribute('data-label')).toBe(VARIANT)
    expect(await page.getByTestId('run-start').innerText()).toBe('Run 3 policies × 2 seeds')
    await page.getByTestId('run-start').click()
    await page.getByTestId('run-results').waitFor({ timeout: 150_000 })
    expect(await page.locator('[data-testid=run-progress-row][data-status=done]').count()).toBe(6)
    expect(await page.getByTestId('run-progress-row').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining(VARIANT)]))

    const columns = await page.getByTestId('throughput-policy').allInnerTexts()
    expect(columns).toEqual(['kvm', 'ecs', VARIANT])
    const rows = await page.locator('[data-testid=preemption-breakdown] tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-policy')))
    expect(rows).toEqual(['kvm', 'ecs', VARIANT])
    expect(await page.getByTestId('result-ratio').innerText()).toMatch(/ecs \/ kvm/)

    // chart legends: the SVG export of the throughput chart names all three
    await page.getByTestId('chart-throughput').locator('canvas').first().waitFor()
    const menu = page.getByTestId('chart-throughput-export')
    await menu.getByTestId('export-toggle').click()
    const svg = await download(page, () => menu.getByTestId('export-svg').click())
    for (const name of ['kvm', '>ecs<', 'vetoCap: 1']) expect(svg).toContain(name)
    const csv = parseCsv(await download(page, () => menu.getByTestId('export-csv').click()))
    // the CSV carries the plotted series (one per policy) by name: series,x,y,ci_low,ci_high
    const col = csv[0]!.indexOf('series')
    expect(col).toBeGreaterThanOrEqual(0)
    expect(new Set(csv.slice(1).map((r) => r[col]))).toEqual(new Set(['kvm', 'ecs', VARIANT]))
    await menu.getByTestId('export-toggle').click()
    // a full-page capture resizes the viewport; let the charts settle at that size first
    const height = await page.evaluate(() => { window.scrollTo(0, 0); return document.documentElement.scrollHeight })
    await page.setViewportSize({ width: 1400, height })
    await page.waitForTimeout(600)
    await screenshot(page, 'ui-policy-variants')
    await page.setViewportSize({ width: 1400, height: 900 })
  })

  it('picks a variant as the baseline', async () => {
    const { page } = ctx
    await page.getByTestId('run-baseline').selectOption('ecs')
    await expect.poll(() => page.getByTestId('throughput-policy').allInnerTexts()).toEqual(['ecs', 'kvm', VARIANT])
    await page.getByTestId('run-baseline').selectOption({ index: 0 })
    await expect.poll(() => page.getByTestId('throughput-policy').allInnerTexts()).toEqual(['kvm', 'ecs', VARIANT])
  })

  it('saved runs show the variant label, and the policy filter (by id) keeps every ecs variant', async () => {
    const { page } = ctx
    await page.getByTestId('nav-runs').click()
    await page.getByTestId('runs-table').waitFor()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(6)
    expect(new Set(await page.getByTestId('runs-policy').allInnerTexts())).toEqual(new Set(['kvm', 'ecs', VARIANT]))
    await page.getByTestId('filter-policy-ecs').check()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(4)
    expect(new Set(await page.getByTestId('runs-policy').allInnerTexts())).toEqual(new Set(['ecs', VARIANT]))
    await page.getByTestId('filter-policy-ecs').uncheck()
    await expect.poll(() => page.getByTestId('runs-row').count()).toBe(6)
    expect(ctx.pageErrors).toEqual([])
  })
})
