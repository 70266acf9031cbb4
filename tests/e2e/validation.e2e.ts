/**
 * The Validation page (issue 11): reached from the navigation, it shows the stored comparison with real
 * guests (docs/validation.json written by `ecs-lab validate --out docs`): the data set, the error
 * summary against the targets, the simulated-vs-measured scatter and one table row per point.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openApp, screenshot, type E2eContext } from './browser'
import { ValidationReportSchema } from '../../src/shared/validation'

let ctx: E2eContext
const stored = join(__dirname, '../../docs/validation.json')

beforeAll(async () => {
  ctx = await openApp()
  ctx.page.setDefaultTimeout(60_000)
})

afterAll(async () => {
  await ctx?.close()
})

describe('Validation page', () => {
  it('opens from the navigation and shows the stored report: data set, errors vs targets, scatter, every point', async () => {
    const { page } = ctx
    await page.getByTestId('nav-validation').click()
    await page.waitForURL(/#\/validation/)
    await page.getByTestId('page-validation').waitFor()
    if (!existsSync(stored)) {
      // a checkout without a generated report says how to make one
      await expect.poll(() => page.getByTestId('validation-empty').textContent()).toMatch(/ecs-lab validate --out docs/)
      return
    }
    const report = ValidationReportSchema.parse(JSON.parse(readFileSync(stored, 'utf8')))
    await page.getByTestId('validation-summary').waitFor()
    expect(await page.getByTestId('validation-meta').textContent()).toContain(report.dataset.id)
    const summary = (await page.getByTestId('validation-summary').textContent()) ?? ''
    expect(summary).toContain('validation (held out)')
    if (report.summary.validation.mae !== null) expect(summary).toContain(report.summary.validation.mae.toFixed(3))
    await page.getByTestId('chart-validation').locator('canvas').first().waitFor()
    expect(await page.getByTestId('validation-points').locator('tbody tr').count()).toBe(report.points.length)
    // the blocks-per-op column: the first point's measured value as the page formats it
    const b0 = report.points[0].measured.blocksPerOp
    if (b0 !== null && b0 !== undefined) expect(await page.getByTestId('validation-points').locator('tbody tr').first().textContent()).toContain(b0.toFixed(3))
    await screenshot(page, 'validation-page')
    expect(ctx.pageErrors).toEqual([])
  })
})
